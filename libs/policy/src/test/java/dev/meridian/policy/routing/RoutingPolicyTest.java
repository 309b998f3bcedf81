package dev.meridian.policy.routing;

import static dev.meridian.policy.routing.RoutingFixtures.NOW;
import static dev.meridian.policy.routing.RoutingFixtures.assertValid;
import static dev.meridian.policy.routing.RoutingFixtures.gpuNode;
import static dev.meridian.policy.routing.RoutingFixtures.gpuPool;
import static dev.meridian.policy.routing.RoutingFixtures.gpuTable;
import static dev.meridian.policy.routing.RoutingFixtures.inputs;
import static dev.meridian.policy.routing.RoutingFixtures.nodeWeight;
import static dev.meridian.policy.routing.RoutingFixtures.pool;
import static dev.meridian.policy.routing.RoutingFixtures.regionWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {

    private static final double EXACT = 1e-12;

    private final RoutingPolicy policy = new RoutingPolicy(RoutingSettings.DEFAULTS);

    /**
     * Two EU regions at equal latency and zero load, so the shares are the eligible-count ratio; their windows ended
     * 2 s before {@code at}, as the scheduler would see them.
     */
    private static RoutingInputs euCounts(int west, int central, Instant at) {
        Instant windowEnd = at.minusSeconds(2);
        return inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", west, 0, windowEnd),
                        gpuPool("eu-central", "gpu-core", central, 0, windowEnd))
                .latency("eu-west", 5).latency("eu-central", 5)
                .build();
    }

    private RoutingWeights published(RoutingInputs inputs, Instant at) {
        return policy.decide(inputs, null, at).toPublish().orElseThrow();
    }

    @Test
    void firstDecisionPublishesVersionOneAtTheTargets() {
        Decision decision = policy.decide(euCounts(3, 1, NOW), null, NOW);

        assertThat(decision).isInstanceOf(Decision.Publish.class);
        Decision.Publish publish = (Decision.Publish) decision;
        assertThat(publish.cause()).isEqualTo(Decision.Cause.FIRST);
        assertThat(publish.weights().version()).isEqualTo(1);
        assertThat(publish.weights().heartbeat()).isFalse();
        assertThat(publish.weights().computedAt()).isEqualTo(NOW);
        // 3 : 1 at equal latency and load
        assertThat(regionWeight(gpuTable(publish.weights()), "eu-west")).isCloseTo(0.75, within(EXACT));
        // the windows ended at NOW − 2 s and go stale 30 s later, before the 30 s heartbeat is due
        assertThat(publish.nextCheckAt()).isEqualTo(NOW.plusSeconds(28));
        assertValid(publish.weights());
    }

    @Test
    void sameInputsSameDecision() {
        RoutingWeights previous = published(euCounts(5, 5, NOW), NOW);
        Instant later = NOW.plusSeconds(12);

        assertThat(policy.decide(euCounts(8, 2, later), previous, later)).isEqualTo(policy.decide(euCounts(8, 2, later), previous, later));
    }

    @Test
    void dampedStepMovesTheTableAtMostMaxStepPerInterval() {
        RoutingWeights v1 = published(euCounts(5, 5, NOW), NOW);
        // targets 8 : 2 = 0.8 / 0.2, published 0.5 / 0.5: deviation 0.3, λ = 0.1 / 0.3 → 0.6 / 0.4
        Decision.Publish v2 = (Decision.Publish) policy.decide(euCounts(8, 2, NOW.plusSeconds(10)), v1, NOW.plusSeconds(10));
        assertThat(v2.cause()).isEqualTo(Decision.Cause.DAMPED_STEP);
        assertThat(v2.weights().version()).isEqualTo(2);
        assertThat(regionWeight(gpuTable(v2.weights()), "eu-west")).isCloseTo(0.6, within(EXACT));
        assertThat(regionWeight(gpuTable(v2.weights()), "eu-central")).isCloseTo(0.4, within(EXACT));
        // still 0.2 away: the next step is due one interval later
        assertThat(v2.nextCheckAt()).isEqualTo(NOW.plusSeconds(20));

        // 5 s later the step is not due yet, however far the target is
        Decision early = policy.decide(euCounts(8, 2, NOW.plusSeconds(15)), v2.weights(), NOW.plusSeconds(15));
        assertThat(early).isInstanceOf(Decision.Hold.class);
        assertThat(early.nextCheckAt()).isEqualTo(NOW.plusSeconds(20));

        RoutingWeights v3 = policy.decide(euCounts(8, 2, NOW.plusSeconds(20)), v2.weights(), NOW.plusSeconds(20)).toPublish().orElseThrow();
        assertThat(regionWeight(gpuTable(v3), "eu-west")).isCloseTo(0.7, within(EXACT));
        RoutingWeights v4 = policy.decide(euCounts(8, 2, NOW.plusSeconds(30)), v3, NOW.plusSeconds(30)).toPublish().orElseThrow();
        assertThat(regionWeight(gpuTable(v4), "eu-west")).isCloseTo(0.8, within(EXACT));
        assertThat(v4.version()).isEqualTo(4);
        assertValid(v4);

        assertThat(policy.decide(euCounts(8, 2, NOW.plusSeconds(40)), v4, NOW.plusSeconds(40))).isInstanceOf(Decision.Hold.class);
    }

    @Test
    void aVersionIsPublishedOnlyWhenSomeTargetMovedByMoreThanEpsilon() {
        RoutingWeights v1 = published(euCounts(25, 25, NOW), NOW);

        // 27 : 23 → 0.54, only 0.04 from the published 0.5: nothing to publish, next look at the heartbeat
        Decision small = policy.decide(euCounts(27, 23, NOW.plusSeconds(10)), v1, NOW.plusSeconds(10));
        assertThat(small).isInstanceOf(Decision.Hold.class);
        assertThat(small.nextCheckAt()).isEqualTo(NOW.plusSeconds(30));

        // 28 : 22 → 0.56, 0.06 away (> ε = 0.05, < maxStep): straight to the target
        Decision.Publish larger = (Decision.Publish) policy.decide(euCounts(28, 22, NOW.plusSeconds(10)), v1, NOW.plusSeconds(10));
        assertThat(larger.cause()).isEqualTo(Decision.Cause.DAMPED_STEP);
        assertThat(regionWeight(gpuTable(larger.weights()), "eu-west")).isCloseTo(0.56, within(EXACT));
        // nothing pending: the heartbeat (NOW + 40 s) or the windows going stale (ended NOW + 8 s, + 30 s), earlier
        assertThat(larger.nextCheckAt()).isEqualTo(NOW.plusSeconds(38));
    }

    @Test
    void heartbeatRepublishesTheCurrentVersionUnchanged() {
        RoutingWeights v1 = published(euCounts(25, 25, NOW), NOW);

        assertThat(policy.decide(euCounts(27, 23, NOW.plusMillis(29_999)), v1, NOW.plusMillis(29_999))).isInstanceOf(Decision.Hold.class);
        Decision.Publish beat = (Decision.Publish) policy.decide(euCounts(27, 23, NOW.plusSeconds(30)), v1, NOW.plusSeconds(30));

        assertThat(beat.cause()).isEqualTo(Decision.Cause.HEARTBEAT);
        assertThat(beat.weights().heartbeat()).isTrue();
        assertThat(beat.weights().version()).isEqualTo(1);
        assertThat(beat.weights().computedAt()).isEqualTo(NOW.plusSeconds(30));
        // the published 0.5 / 0.5, not the 0.54 target that stayed within ε
        assertThat(beat.weights().tiers()).isEqualTo(v1.tiers());
        assertThat(beat.weights().excluded()).isEqualTo(v1.excluded());

        // the heartbeat restarts the heartbeat clock, and a damped step may follow it at once
        assertThat(policy.decide(euCounts(27, 23, NOW.plusSeconds(40)), beat.weights(), NOW.plusSeconds(40))).isInstanceOf(Decision.Hold.class);
        Decision.Publish step = (Decision.Publish) policy.decide(euCounts(8, 2, NOW.plusSeconds(31)), beat.weights(), NOW.plusSeconds(31));
        assertThat(step.cause()).isEqualTo(Decision.Cause.DAMPED_STEP);
        assertThat(step.weights().version()).isEqualTo(2);
    }

    @Test
    void aStaleRegionDropsAtOnceBypassingDamping() {
        RoutingInputs three = inputs("us-east")
                .pool(gpuPool("us-east", "gpu-core", 6, 0), gpuPool("us-west", "gpu-core", 3, 0))
                .latency("us-east", 5).latency("us-west", 5)
                .build();
        RoutingWeights v1 = published(three, NOW);
        RoutingInputs westStale = inputs("us-east")
                .pool(gpuPool("us-east", "gpu-core", 6, 0),
                        pool("us-west", "gpu-core", Tier.CORE_GPU, 3, 0, 0, 0, NOW.minusSeconds(25)))
                .latency("us-east", 5).latency("us-west", 5)
                .build();

        // 1 s later, well inside the interval: us-west (1/3) is gone, us-east takes everything
        Decision.Publish v2 = (Decision.Publish) policy.decide(westStale, v1, NOW.plusSeconds(5));

        assertThat(v2.cause()).isEqualTo(Decision.Cause.ELIGIBILITY_CHANGED);
        assertThat(v2.weights().version()).isEqualTo(2);
        TierTable table = gpuTable(v2.weights());
        assertThat(table.regions()).extracting(RegionWeight::region).containsExactly("us-east");
        assertThat(regionWeight(table, "us-east")).isEqualTo(1.0);
        assertThat(v2.weights().excluded()).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo("us-west");
            assertThat(e.reason()).isEqualTo(ExclusionReason.STALE);
        });
        assertValid(v2.weights());
    }

    @Test
    void aDrainingNodeDropsAtOnceAndTheOthersKeepTheirPublishedProportions() {
        RoutingWeights v1 = published(homeNodes(0, 25, 50), NOW);
        // y = 1 / (1 ms · (1 + load/100)): n1 1, n2 0.8, n3 2/3; sum 37/15 → 15/37, 12/37, 10/37
        assertThat(nodeWeight(gpuTable(v1), "n3")).isCloseTo(10.0 / 37, within(EXACT));

        // n3's load also fell to 0, but that part is damped: 2 s after v1 no step is due, so n1 and n3 keep
        // 15/37 : 10/37, scaled to sum 1 → 15/25 = 0.6 and 10/25 = 0.4
        RoutingInputs n2Draining = homeNodes(0, 25, 0, "n2");
        Decision.Publish v2 = (Decision.Publish) policy.decide(n2Draining, v1, NOW.plusSeconds(2));

        assertThat(v2.cause()).isEqualTo(Decision.Cause.ELIGIBILITY_CHANGED);
        TierTable after = gpuTable(v2.weights());
        assertThat(after.nodes()).extracting(n -> n.nodeId()).containsExactly("n1", "n3");
        assertThat(nodeWeight(after, "n1")).isCloseTo(0.6, within(EXACT));
        assertThat(nodeWeight(after, "n3")).isCloseTo(0.4, within(EXACT));
        assertThat(v2.weights().excluded()).extracting(e -> e.target() + " " + e.reason()).containsExactly("n2 DRAINING");

        // one interval later the damped part follows: target 1/2 each; 2 nodes · |0.6 − 0.5| = 0.2 > nodeEpsilon 0.1,
        // and nodeMaxStep 0.5 / 2 = 0.25 ≥ 0.1, so it reaches the target in one step
        RoutingWeights v3 = policy.decide(n2Draining, v2.weights(), NOW.plusSeconds(12)).toPublish().orElseThrow();
        assertThat(nodeWeight(gpuTable(v3), "n1")).isCloseTo(0.5, within(EXACT));
        assertThat(v3.version()).isEqualTo(3);
    }

    private static RoutingInputs homeNodes(double load1, double load2, double load3, String... draining) {
        return inputs("eu-west").home("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 3, 25))
                .node(gpuNode("n1", "eu-west", load1), gpuNode("n2", "eu-west", load2), gpuNode("n3", "eu-west", load3))
                .latency("eu-west", 1)
                .draining(draining)
                .build();
    }

    @Test
    void aRegionThatAppearsStartsAtItsTargetAndTheOthersAreScaledIntoTheRest() {
        RoutingInputs twoRegions = inputs("us-east")
                .pool(gpuPool("us-east", "gpu-core", 6, 0), gpuPool("us-west", "gpu-core", 4, 0))
                .latency("us-east", 5).latency("us-west", 5)
                .build();
        RoutingWeights v1 = published(twoRegions, NOW); // 0.6 / 0.4

        Residency withThird = new Residency(
                java.util.Map.of("us-east", "US", "us-west", "US", "us-south", "US"),
                java.util.Set.of("US"), java.util.Map.of());
        RoutingInputs threeRegions = inputs("us-east").residency(withThird)
                .pool(gpuPool("us-east", "gpu-core", 5, 0), gpuPool("us-west", "gpu-core", 3, 0),
                        gpuPool("us-south", "gpu-core", 2, 0))
                .latency("us-east", 5).latency("us-west", 5).latency("us-south", 5)
                .build();
        Decision.Publish v2 = (Decision.Publish) policy.decide(threeRegions, v1, NOW.plusSeconds(1));

        // targets 0.5 / 0.3 / 0.2; us-south enters at 0.2, the others keep 0.6 : 0.4 of the remaining 0.8
        TierTable table = gpuTable(v2.weights());
        assertThat(v2.cause()).isEqualTo(Decision.Cause.ELIGIBILITY_CHANGED);
        assertThat(regionWeight(table, "us-south")).isCloseTo(0.2, within(EXACT));
        assertThat(regionWeight(table, "us-east")).isCloseTo(0.48, within(EXACT));
        assertThat(regionWeight(table, "us-west")).isCloseTo(0.32, within(EXACT));
        assertValid(v2.weights());
    }

    @Test
    void nodeWeightsAreDampedInMultiplesOfTheAverageShare() {
        RoutingPolicy slowNodes = new RoutingPolicy(RoutingSettings.DEFAULTS.withNodeDamping(0.1, 0.1));
        RoutingInputs even = twoNodes(0, 0);
        RoutingWeights v1 = slowNodes.decide(even, null, NOW).toPublish().orElseThrow();

        // loads 0 and 50: 1/2 and 1/3 → 0.6 / 0.4. With 2 nodes, nodeMaxStep 0.1 allows 0.1 / 2 = 0.05 absolute:
        // λ = 0.05 / 0.1 = 0.5 → 0.55 / 0.45
        RoutingWeights v2 = slowNodes.decide(twoNodes(0, 50), v1, NOW.plusSeconds(10)).toPublish().orElseThrow();
        assertThat(nodeWeight(gpuTable(v2), "n1")).isCloseTo(0.55, within(EXACT));
        assertThat(nodeWeight(gpuTable(v2), "n2")).isCloseTo(0.45, within(EXACT));

        // loads 0 and 8: 1/2 and 1/2.16 → 0.519…, 2 · 0.019 = 0.038 below nodeEpsilon 0.1: nothing to publish
        assertThat(slowNodes.decide(twoNodes(0, 8), v1, NOW.plusSeconds(10))).isInstanceOf(Decision.Hold.class);
    }

    private static RoutingInputs twoNodes(double load1, double load2) {
        return inputs("eu-west").home("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 2, 20))
                .node(gpuNode("n1", "eu-west", load1), gpuNode("n2", "eu-west", load2))
                .latency("eu-west", 2)
                .build();
    }

    @Test
    void holdReportsWhenAnInputWillTurnStale() {
        RoutingInputs inputs = inputs("eu-west")
                .pool(pool("eu-west", "gpu-core", Tier.CORE_GPU, 2, 0, 0, 0, NOW.minusSeconds(20)))
                .latency("eu-west", 5)
                .build();
        RoutingWeights v1 = published(inputs, NOW);

        // the window ended 20 s ago and goes stale 30 s after its end: in 10 s, before the heartbeat
        Decision hold = policy.decide(inputs, v1, NOW.plusSeconds(1));
        assertThat(hold.nextCheckAt()).isEqualTo(NOW.plusSeconds(10));
        Decision.Publish dropped = (Decision.Publish) policy.decide(inputs, v1, NOW.plusSeconds(10));
        assertThat(gpuTable(dropped.weights()).regions()).isEmpty();
        assertThat(gpuTable(dropped.weights()).noneEligibleReason()).isEqualTo("no region eligible for CORE_GPU: eu-west STALE");
    }

    @Test
    void rejectsAPreviousVersionOfAnotherClientRegion() {
        RoutingWeights other = published(inputs("us-east").pool(gpuPool("us-east", "gpu-core", 1, 0))
                .latency("us-east", 1).build(), NOW);

        assertThatThrownBy(() -> policy.decide(euCounts(1, 1, NOW.plusSeconds(10)), other, NOW.plusSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("previous version is for us-east");
    }

    @Test
    void settingsRejectAHeartbeatShorterThanTheInterval() {
        assertThatThrownBy(() -> RoutingSettings.DEFAULTS.withTiming(Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(30))).hasMessageContaining("heartbeat (PT5S) must not be shorter than interval");
        assertThatThrownBy(() -> RoutingSettings.DEFAULTS.withDamping(0, 0.05)).hasMessageContaining("maxStep");
    }
}
