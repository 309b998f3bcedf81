package dev.meridian.policy.routing;

import static dev.meridian.policy.routing.RoutingFixtures.NOW;
import static dev.meridian.policy.routing.RoutingFixtures.assertValid;
import static dev.meridian.policy.routing.RoutingFixtures.fleetNode;
import static dev.meridian.policy.routing.RoutingFixtures.gpuNode;
import static dev.meridian.policy.routing.RoutingFixtures.gpuPool;
import static dev.meridian.policy.routing.RoutingFixtures.gpuTable;
import static dev.meridian.policy.routing.RoutingFixtures.inputs;
import static dev.meridian.policy.routing.RoutingFixtures.nodeAction;
import static dev.meridian.policy.routing.RoutingFixtures.nodeWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionOverride;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operators' node actions: CORDON and DRAIN take a node out of routing at once, UNCORDON puts it back. */
class CordonTest {

    private static final double EXACT = 1e-12;

    private final RoutingPolicy policy = new RoutingPolicy(RoutingSettings.DEFAULTS);
    private final WeightsCalculator calculator = new WeightsCalculator(RoutingSettings.DEFAULTS);

    /** eu-west's three GPU nodes at loads 0, 25 and 50 %, 1 ms away, with the operators' actions given. */
    private static RoutingInputs homeNodes(OperatorAction... actions) {
        return inputs("eu-west").home("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 3, 25))
                .node(gpuNode("n1", "eu-west", 0), gpuNode("n2", "eu-west", 25), gpuNode("n3", "eu-west", 50))
                .latency("eu-west", 1)
                .nodeActions(actions)
                .build();
    }

    @Test
    void aCordonedNodeDropsToZeroAtOnceWithItsReasonAndAnUncordonBringsItBack() {
        RoutingWeights v1 = policy.decide(homeNodes(), null, NOW).toPublish().orElseThrow();
        // y = 1 / (1 ms · (1 + load/100)): n1 1, n2 0.8, n3 2/3; sum 37/15 → 15/37, 12/37, 10/37
        assertThat(nodeWeight(gpuTable(v1), "n2")).isCloseTo(12.0 / 37, within(EXACT));

        OperatorAction cordon = nodeAction("a-1", ActionKind.CORDON, "eu-west", "n2", NOW.plusSeconds(1));
        Decision.Publish v2 = (Decision.Publish) policy.decide(homeNodes(cordon), v1, NOW.plusSeconds(2));

        // an exclusion bypasses damping: n1 and n3 keep 15/37 : 10/37, scaled to sum 1 → 0.6 and 0.4
        assertThat(v2.cause()).isEqualTo(Decision.Cause.ELIGIBILITY_CHANGED);
        assertThat(v2.weights().version()).isEqualTo(2);
        TierTable cordoned = gpuTable(v2.weights());
        assertThat(cordoned.nodes()).extracting(NodeWeight::nodeId).containsExactly("n1", "n3");
        assertThat(nodeWeight(cordoned, "n1")).isCloseTo(0.6, within(EXACT));
        assertThat(nodeWeight(cordoned, "n3")).isCloseTo(0.4, within(EXACT));
        assertThat(v2.weights().excluded()).containsExactly(new Exclusion(ExclusionScope.NODE, "n2", Tier.CORE_GPU,
                ExclusionReason.CORDONED, "operator CORDON a-1 requested at " + NOW.plusSeconds(1)));
        assertThat(cordoned.regions()).as("the region keeps serving through its other nodes").isNotEmpty();
        assertValid(v2.weights());

        OperatorAction uncordon = nodeAction("a-2", ActionKind.UNCORDON, "eu-west", "n2", NOW.plusSeconds(3));
        Decision.Publish v3 = (Decision.Publish) policy.decide(homeNodes(cordon, uncordon), v2.weights(),
                NOW.plusSeconds(4));

        // n2 is back at its target 12/37; n1 and n3 keep 0.6 : 0.4 of the remaining 25/37 → 15/37 and 10/37
        assertThat(v3.cause()).isEqualTo(Decision.Cause.ELIGIBILITY_CHANGED);
        assertThat(v3.weights().version()).isEqualTo(3);
        TierTable back = gpuTable(v3.weights());
        assertThat(back.nodes()).extracting(NodeWeight::nodeId).containsExactly("n1", "n2", "n3");
        assertThat(nodeWeight(back, "n2")).isCloseTo(12.0 / 37, within(EXACT));
        assertThat(nodeWeight(back, "n1")).isCloseTo(15.0 / 37, within(EXACT));
        assertThat(v3.weights().excluded()).isEmpty();
    }

    @Test
    void theNewestNodeActionHoldsWhateverOrderTheyArriveIn() {
        OperatorAction cordon = nodeAction("a-1", ActionKind.CORDON, "eu-west", "n1", NOW.minusSeconds(60));
        OperatorAction uncordon = nodeAction("a-2", ActionKind.UNCORDON, "eu-west", "n1", NOW.minusSeconds(30));
        OperatorAction recordon = nodeAction("a-3", ActionKind.CORDON, "eu-west", "n1", NOW.minusSeconds(10));
        List<OperatorAction> actions = new ArrayList<>(List.of(cordon, uncordon, recordon));
        for (int i = 0; i < 3; i++) {
            Collections.rotate(actions, 1);
            RoutingTargets targets = calculator.compute(homeNodes(actions.toArray(OperatorAction[]::new)), NOW);
            assertThat(targets.excluded()).as("order %s", actions).extracting(Exclusion::target, Exclusion::reason)
                    .containsExactly(tuple("n1", ExclusionReason.CORDONED));
            assertThat(targets.excluded().get(0).detail()).contains("a-3");
        }

        RoutingTargets stillOut = calculator.compute(homeNodes(recordon, uncordon), NOW);
        assertThat(stillOut.excluded()).as("an older UNCORDON does not lift a newer CORDON").isNotEmpty();
        RoutingTargets uncordoned = calculator.compute(homeNodes(uncordon, cordon), NOW);
        assertThat(uncordoned.excluded()).isEmpty();
        assertThat(gpuTable(uncordoned).nodes()).extracting(NodeWeight::nodeId).containsExactly("n1", "n2", "n3");
    }

    @Test
    void anOperatorsDrainIsDrainingAndOfTwoActionsAtOneInstantTheNodeStaysOut() {
        Instant at = NOW.minusSeconds(5);
        RoutingTargets targets = calculator.compute(homeNodes(
                nodeAction("a-1", ActionKind.DRAIN, "eu-west", "n1", at),
                // a tie on requestedAt: holding the node out is the safe reading
                nodeAction("a-2", ActionKind.UNCORDON, "eu-west", "n2", at),
                nodeAction("a-3", ActionKind.CORDON, "eu-west", "n2", at)), NOW);

        assertThat(targets.excluded()).extracting(Exclusion::target, Exclusion::reason, Exclusion::detail)
                .containsExactly(tuple("n1", ExclusionReason.DRAINING, "operator DRAIN a-1 requested at " + at),
                        tuple("n2", ExclusionReason.CORDONED, "operator CORDON a-3 requested at " + at));
        assertThat(gpuTable(targets).nodes()).extracting(NodeWeight::nodeId).containsExactly("n3");
        assertThat(nodeWeight(gpuTable(targets), "n3")).isEqualTo(1.0);
        assertValid(targets);
    }

    @Test
    void anActionActsOnlyOnTheNodeOfTheRegionItNamesAndPoolActionsAreNotNodeActions() {
        RoutingTargets targets = calculator.compute(homeNodes(
                // the same node id in another region: not eu-west's n1
                nodeAction("a-1", ActionKind.CORDON, "eu-central", "n1", NOW.minusSeconds(5)),
                new OperatorAction("a-2", ActionKind.PAUSE, "eu-west", "gpu-core", null, null, null, null, "ops-alice",
                        null, NOW.minusSeconds(5)),
                new OperatorAction("a-3", ActionKind.OVERRIDE, "eu-west", "gpu-core", null, null, NOW.plusSeconds(3600),
                        new ActionOverride(null, null, null, null, 1, null), "ops-alice", null, NOW.minusSeconds(5))),
                NOW);

        assertThat(targets.excluded()).isEmpty();
        assertThat(gpuTable(targets).nodes()).extracting(NodeWeight::nodeId).containsExactly("n1", "n2", "n3");
    }

    @Test
    void aNodeThatLeftOrIsDrainedByTheScalerKeepsThatReason() {
        RoutingTargets targets = calculator.compute(inputs("eu-west").home("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 3, 25))
                .node(gpuNode("n1", "eu-west", 0), gpuNode("n2", "eu-west", 25), gpuNode("n3", "eu-west", 50))
                .inventory(fleetNode("n1", "eu-west", Tier.CORE_GPU, NodeState.LEFT))
                .latency("eu-west", 1)
                .draining("n2")
                .nodeActions(nodeAction("a-1", ActionKind.CORDON, "eu-west", "n1", NOW.minusSeconds(5)),
                        nodeAction("a-2", ActionKind.CORDON, "eu-west", "n2", NOW.minusSeconds(5)),
                        nodeAction("a-3", ActionKind.CORDON, "eu-west", "n3", NOW.minusSeconds(5)))
                .build(), NOW);

        assertThat(targets.excluded()).extracting(Exclusion::target, Exclusion::reason).containsExactly(
                tuple("n1", ExclusionReason.LEFT), tuple("n2", ExclusionReason.DRAINING),
                tuple("n3", ExclusionReason.CORDONED));
        assertThat(gpuTable(targets).nodes()).isEmpty();
        assertThat(gpuTable(targets).regions()).extracting(r -> r.region()).containsExactly("eu-west");
    }
}
