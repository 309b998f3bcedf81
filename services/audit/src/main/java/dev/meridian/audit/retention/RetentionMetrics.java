package dev.meridian.audit.retention;

/** What the retention job counts; the service backs it with Micrometer. */
public interface RetentionMetrics {

    /** A retention run finished, having dropped this many monthly partitions (often none). */
    void partitionsDropped(int partitions);
}
