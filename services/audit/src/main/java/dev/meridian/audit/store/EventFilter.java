package dev.meridian.audit.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a search or export selects. Every value is bound as a parameter, never spliced into SQL.
 *
 * @param regions the regions the caller may see and asked for; empty means every region (a caller with {@code *})
 * @param after   keyset cursor: only entries strictly older than it, in (time, id) order
 */
public record EventFilter(Instant from, Instant to, List<String> regions, String actor, String action,
        String resource, String type, Cursor after) {

    public EventFilter {
        regions = List.copyOf(Objects.requireNonNull(regions, "regions"));
    }

    public EventFilter withAfter(Cursor cursor) {
        return new EventFilter(from, to, regions, actor, action, resource, type, cursor);
    }
}
