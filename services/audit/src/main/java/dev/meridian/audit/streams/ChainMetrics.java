package dev.meridian.audit.streams;

/** What the chainer counts; the service binds it to Micrometer, tests count in memory. */
public interface ChainMetrics {

    void appended(String kind);

    void dropped(String reason);

    ChainMetrics NONE = new ChainMetrics() {
        @Override
        public void appended(String kind) {
        }

        @Override
        public void dropped(String reason) {
        }
    };
}
