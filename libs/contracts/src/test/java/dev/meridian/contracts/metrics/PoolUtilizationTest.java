package dev.meridian.contracts.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.validation.Violation;
import org.junit.jupiter.api.Test;

class PoolUtilizationTest {

    @Test
    void loadIsGpuForGpuPoolsAndCpuForEdgePools() {
        assertThat(ContractSamples.poolUtilization(Tier.CORE_GPU).load()).isEqualTo(72.5);
        assertThat(ContractSamples.poolUtilization(Tier.EDGE_CPU).load()).isEqualTo(35.0);
    }

    @Test
    void derivedValuesAreNotSerialized() {
        String json = ContractJson.writeString(ContractSamples.poolUtilization(Tier.CORE_GPU));

        assertThat(JsonTrees.parse(json).has("load")).isFalse();
        assertThat(JsonTrees.parse(json).has("key")).isFalse();
    }

    @Test
    void keyIsRegionSlashPool() {
        assertThat(ContractSamples.poolUtilization(Tier.CORE_GPU).key()).isEqualTo("us-east/inference-a100");
    }

    @Test
    void rejectsMoreEligibleNodesThanNodes() {
        PoolUtilization pool = JsonTrees.with(ContractSamples.poolUtilization(Tier.CORE_GPU), "eligibleCount", "13");

        assertThat(pool.violations()).containsExactly(new Violation("eligibleCount", "exceeds",
                "eligibleCount must not exceed nodeCount (12), was 13"));
    }

    @Test
    void rejectsWindowThatEndsBeforeItStarts() {
        PoolUtilization pool = JsonTrees.with(ContractSamples.poolUtilization(Tier.CORE_GPU), "windowEnd",
                "\"2026-11-27T13:00:00Z\"");

        assertThat(pool.violations()).containsExactly(new Violation("windowEnd", "order",
                "windowEnd must be after windowStart (2026-11-27T13:00:00Z), was 2026-11-27T13:00:00Z"));
    }
}
