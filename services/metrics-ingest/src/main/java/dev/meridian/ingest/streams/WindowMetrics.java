package dev.meridian.ingest.streams;

import java.time.Duration;

/** What the windowing stages report; the service backs it with Micrometer, tests with plain counters. */
public interface WindowMetrics {

    /** A sample arrived after its window had closed (beyond the grace) and was not counted. */
    void lateSampleDropped();

    /** A node window was emitted this long after it closed (window end + grace). */
    void nodeWindowEmitted(Duration afterClose);

    /** A pool window was emitted this long after it closed. */
    void poolWindowEmitted(Duration afterClose);

    /** A node result reached its pool after the pool window had been emitted. */
    void lateNodeResultDropped();

    /**
     * The windowing refused a sample that its door had accepted, and dead-lettered it: counted with the doors'
     * rejections ({@code door}: the tag of the door that checked it; {@code rule}: the rule broken).
     */
    void sampleRefused(String door, String rule);

    WindowMetrics NONE = new WindowMetrics() {
        @Override
        public void lateSampleDropped() {
        }

        @Override
        public void nodeWindowEmitted(Duration afterClose) {
        }

        @Override
        public void poolWindowEmitted(Duration afterClose) {
        }

        @Override
        public void lateNodeResultDropped() {
        }

        @Override
        public void sampleRefused(String door, String rule) {
        }
    };
}
