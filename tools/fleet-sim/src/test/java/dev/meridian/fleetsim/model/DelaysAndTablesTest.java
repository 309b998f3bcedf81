package dev.meridian.fleetsim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.fleet.Tier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelaysAndTablesTest {

    @Test
    void compressionDividesEveryDelay() {
        Delays compressed = Delays.REAL_CLOUD.compressed(17);

        assertThat(compressed.cold()).isEqualTo(Duration.ofSeconds(5));
        // 10 s / 17 = 588.2 ms; 120 s / 17 = 7,058.8 ms
        assertThat(compressed.warm()).isEqualTo(Duration.ofMillis(588));
        assertThat(compressed.reclaimNotice()).isEqualTo(Duration.ofMillis(7_059));
        assertThat(Delays.REAL_CLOUD.compressed(1)).isEqualTo(Delays.REAL_CLOUD);
        assertThatThrownBy(() -> Delays.REAL_CLOUD.compressed(0.5)).hasMessageContaining("at least 1");
    }

    @Test
    void latencyIsDirectionalWithSameRegionAndUnknownDefaults() {
        LatencyTable table = LatencyTable.defaults();

        assertThat(table.rttMs("eu-west", "ap-southeast")).isEqualTo(239.0);
        assertThat(table.rttMs("ap-southeast", "eu-west")).isEqualTo(238.1);
        assertThat(table.rttMs("us-east", "us-east")).isEqualTo(1.5);
        assertThat(table.rttMs("us-east", "mars-1")).isEqualTo(150.0);
        assertThat(table.with("us-east", "mars-1", 900).rttMs("us-east", "mars-1")).isEqualTo(900.0);
        assertThat(table.probes(List.of("a", "b"), (from, to) -> from + ">" + to))
                .containsExactly("a>a", "a>b", "b>a", "b>b");
    }

    @Test
    void capacityFallsBackToTheTierAndTakesOverrides() {
        CapacityTable table = CapacityTable.defaults();

        assertThat(table.tokensPerSecond("p5.48xlarge", Tier.CORE_GPU)).isEqualTo(30_000);
        assertThat(table.tokensPerSecond("x9.huge", Tier.CORE_GPU)).isEqualTo(5_000);
        assertThat(table.tokensPerSecond("x9.huge", Tier.EDGE_CPU)).isEqualTo(5_000);
        CapacityTable tuned = table.withTokensPerSecond(Map.of("g5.48xlarge", 4_000.0), Tier.CORE_GPU);
        assertThat(tuned.profile("g5.48xlarge", Tier.CORE_GPU)).isEqualTo(new InstanceProfile(4_000, 8, 24_576));
    }
}
