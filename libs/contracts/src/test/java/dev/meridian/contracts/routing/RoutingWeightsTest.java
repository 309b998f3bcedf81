package dev.meridian.contracts.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingWeightsTest {

    private static final RoutingWeights WEIGHTS = ContractSamples.routingWeights();

    @Test
    void findsTheTableOfATier() {
        assertThat(WEIGHTS.table(Tier.EDGE_CPU)).hasValueSatisfying(t -> assertThat(t.regions()).isEmpty());
    }

    @Test
    void tierWithoutEligibleRegionMustSayWhy() {
        RoutingWeights weights = JsonTrees.with(WEIGHTS, "tiers[1].noneEligibleReason", "null");

        assertThat(weights.violations()).containsExactly(new Violation("tiers[1].noneEligibleReason", "consistency",
                "tiers[1].noneEligibleReason must be set when no region is eligible"));
    }

    @Test
    void rejectsTheSameTierTwice() {
        RoutingWeights weights = JsonTrees.with(WEIGHTS, "tiers[1].tier", "\"CORE_GPU\"");

        assertThat(weights.violations()).extracting(Violation::field).containsExactly("tiers[1].tier");
    }

    @Test
    void reportsNestedViolationsWithTheirPath() {
        RoutingWeights weights = JsonTrees.with(WEIGHTS, "tiers[0].nodes[0].load", "120");

        assertThat(weights.violations()).containsExactly(new Violation("tiers[0].nodes[0].load", "range",
                "tiers[0].nodes[0].load must be within 0..100, was 120.0"));
    }

    @Test
    void listsAreImmutableCopies() {
        List<Exclusion> excluded = new ArrayList<>(WEIGHTS.excluded());
        RoutingWeights weights = new RoutingWeights("us-east", 1, ContractSamples.T0, true, WEIGHTS.tiers(), excluded);

        excluded.clear();

        assertThat(weights.excluded()).hasSize(2);
        assertThatThrownBy(() -> weights.tiers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
