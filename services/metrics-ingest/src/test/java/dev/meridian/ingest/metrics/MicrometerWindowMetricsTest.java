package dev.meridian.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.ingest.intake.Door;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MicrometerWindowMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerIntakeMetrics intake = new MicrometerIntakeMetrics(registry);
    private final MicrometerWindowMetrics windows = new MicrometerWindowMetrics(registry);

    @Test
    void aSampleRefusedByTheWindowingCountsOnTheDoorsRejectedCounter() {
        intake.rejected(Door.KAFKA, "node-of-another-region");
        windows.sampleRefused("kafka", "node-of-another-region");
        windows.sampleRefused("http", "node-of-another-region");
        windows.sampleRefused("http", "node-of-another-region");

        assertThat(intake.rejectedCount(Door.KAFKA, "node-of-another-region")).isEqualTo(2.0);
        assertThat(registry.find(MicrometerIntakeMetrics.REJECTED)
                .tag(MicrometerIntakeMetrics.TAG_DOOR, "http")
                .tag(MicrometerIntakeMetrics.TAG_RULE, "node-of-another-region")
                .counter().count()).isEqualTo(2.0);
    }
}
