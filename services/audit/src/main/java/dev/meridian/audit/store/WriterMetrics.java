package dev.meridian.audit.store;

import java.util.List;
import java.util.stream.Stream;

/** What the store writer counts; the service binds it to Micrometer. */
public interface WriterMetrics {

    /**
     * A batch committed: entries written ({@code inserted} of them new, the rest ids already stored), entries skipped
     * because their offset was stored already, how long the transaction took.
     */
    void committed(int written, int inserted, int skipped, long nanos);

    /** A batch failed and will be retried. */
    void failed();

    /**
     * A record of the audit log quarantined instead of stored (its place kept by a placeholder where it has one).
     *
     * @param kind why, as a tag: malformed, control-character, time-out-of-range, refused-by-store
     */
    void quarantined(String kind);

    /** Every {@code kind} {@link #quarantined} may be called with, so that each can be counted from zero. */
    static List<String> quarantineKinds() {
        return Stream.of(Refusal.Kind.values()).map(Refusal.Kind::tag).toList();
    }

    WriterMetrics NONE = new WriterMetrics() {
        @Override
        public void committed(int written, int inserted, int skipped, long nanos) {
        }

        @Override
        public void failed() {
        }

        @Override
        public void quarantined(String kind) {
        }
    };
}
