package dev.meridian.scheduler.routing;

import static dev.meridian.scheduler.Fleet.drain;
import static dev.meridian.scheduler.Fleet.inventory;
import static dev.meridian.scheduler.Fleet.node;
import static dev.meridian.scheduler.Fleet.nodeAction;
import static dev.meridian.scheduler.Fleet.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionOverride;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.routing.RoutingInputs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InputStateTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private static final Residency RESIDENCY = new Residency(Map.of("eu-west", "EU"), Set.of("EU"), Map.of());

    private final InputState state = new InputState(Set.of("eu-west"), Duration.ofHours(1));

    @Test
    void keepsOnlyTheNewestPoolWindowAndIgnoresReplays() {
        assertThat(state.apply(InputKind.POOL, "eu-west/gpu", pool("eu-west", "gpu", 2, 50, T0))).isTrue();
        assertThat(state.apply(InputKind.POOL, "eu-west/gpu", pool("eu-west", "gpu", 2, 90, T0.minusSeconds(10))))
                .as("an older window arriving late").isFalse();
        assertThat(state.apply(InputKind.POOL, "eu-west/gpu", pool("eu-west", "gpu", 2, 50, T0)))
                .as("the same window again").isFalse();

        RoutingInputs inputs = state.inputsFor("eu-west", RESIDENCY);
        assertThat(inputs.pools()).singleElement().satisfies(p -> assertThat(p.gpuAvg()).isEqualTo(50));
    }

    @Test
    void forgetsANodeThatLeftSoStateStaysBoundedByTheLiveFleet() {
        state.apply(InputKind.INVENTORY, "n1", inventory("n1", "eu-west", "gpu", NodeState.JOINED, T0));
        state.apply(InputKind.NODE, "n1", node("n1", "eu-west", "gpu", 40, T0));
        state.apply(InputKind.COMMAND, "eu-west/gpu", drain("eu-west", "gpu", "n1", T0));

        assertThat(state.apply(InputKind.INVENTORY, "n1", inventory("n1", "eu-west", "gpu", NodeState.LEFT,
                T0.plusSeconds(300)))).isTrue();

        RoutingInputs inputs = state.inputsFor("eu-west", RESIDENCY);
        assertThat(inputs.inventory()).isEmpty();
        assertThat(inputs.nodes()).isEmpty();
        assertThat(inputs.draining()).isEmpty();
    }

    @Test
    void dropsNodeRecordsOfRegionsThatAreNotHome() {
        assertThat(state.apply(InputKind.NODE, "n-us", node("n-us", "us-east", "gpu", 40, T0))).isFalse();
        assertThat(state.apply(InputKind.INVENTORY, "n-us", inventory("n-us", "us-east", "gpu", NodeState.JOINED, T0)))
                .isFalse();
        assertThat(state.inputsFor("eu-west", RESIDENCY).nodes()).isEmpty();
    }

    @Test
    void inventoryTombstoneRemovesTheNode() {
        state.apply(InputKind.INVENTORY, "n1", inventory("n1", "eu-west", "gpu", NodeState.JOINED, T0));

        assertThat(state.apply(InputKind.INVENTORY, "n1", null)).isTrue();
        assertThat(state.inputsFor("eu-west", RESIDENCY).inventory()).isEmpty();
    }

    @Test
    void drainCommandMarksItsNodesUntilTheCommandMemoryPasses() {
        assertThat(state.apply(InputKind.COMMAND, "eu-west/gpu", drain("eu-west", "gpu", "n1", T0))).isTrue();
        assertThat(state.inputsFor("eu-west", RESIDENCY).draining()).containsExactly("n1");

        assertThat(state.expire(T0.plus(Duration.ofMinutes(59)))).isFalse();
        assertThat(state.expire(T0.plus(Duration.ofMinutes(61)))).isTrue();
        assertThat(state.inputsFor("eu-west", RESIDENCY).draining()).isEmpty();
    }

    @Test
    void keepsTheLastNodeActionPerTopicAndKeyAndHandsEveryOneToThePolicy() {
        OperatorAction cordon = nodeAction(ActionKind.CORDON, "eu-west", "gpu", "n1", T0);
        OperatorAction uncordon = nodeAction(ActionKind.UNCORDON, "eu-west", "gpu", "n1", T0.plusSeconds(60));
        // Another copy of the topic: a mirror, should the catalog ever mirror it.
        String mirror = "us-east." + TopicCatalog.OPERATOR_ACTIONS;

        assertThat(state.apply(InputKind.OPERATOR, cordon.key(), cordon)).isTrue();
        assertThat(state.apply(InputKind.OPERATOR, cordon.key(), cordon)).as("a replay").isFalse();
        assertThat(state.inputsFor("eu-west", RESIDENCY).heldOut()).containsOnlyKeys(
                new RoutingInputs.NodeRef("eu-west", "n1"));

        // The same node's slot in another copy is a state of its own; the policy takes the newer.
        assertThat(state.apply(InputKind.OPERATOR, mirror, uncordon.key(), uncordon)).isTrue();
        assertThat(state.inputsFor("eu-west", RESIDENCY).nodeActions()).containsExactlyInAnyOrder(cordon, uncordon);
        assertThat(state.inputsFor("eu-west", RESIDENCY).heldOut()).isEmpty();

        assertThat(state.apply(InputKind.OPERATOR, mirror, uncordon.key(), null)).as("the mirror's tombstone").isTrue();
        assertThat(state.inputsFor("eu-west", RESIDENCY).nodeActions()).containsExactly(cordon);

        OperatorAction local = nodeAction(ActionKind.UNCORDON, "eu-west", "gpu", "n1", T0.plusSeconds(120));
        assertThat(state.apply(InputKind.OPERATOR, local.key(), local)).isTrue();
        assertThat(state.inputsFor("eu-west", RESIDENCY).nodeActions()).as("the slot keeps the last written")
                .containsExactly(local);
    }

    @Test
    void ignoresPoolActionsAndNodeActionsOfOtherRegions() {
        OperatorAction other = nodeAction(ActionKind.CORDON, "us-east", "gpu", "n-us", T0);
        OperatorAction pause = new OperatorAction("p-1", ActionKind.PAUSE, "eu-west", "gpu", null, null, null, null,
                "ops-alice", null, T0);
        OperatorAction override = new OperatorAction("o-1", ActionKind.OVERRIDE, "eu-west", "gpu", null, null,
                T0.plusSeconds(3600), new ActionOverride(null, null, null, null, 1, null), "ops-alice", null, T0);

        assertThat(state.apply(InputKind.OPERATOR, other.key(), other)).isFalse();
        assertThat(state.apply(InputKind.OPERATOR, pause.key(), pause)).isFalse();
        assertThat(state.apply(InputKind.OPERATOR, override.key(), override)).isFalse();
        assertThat(state.apply(InputKind.OPERATOR, "eu-west/gpu/node/n9", null)).as("a tombstone of nothing held")
                .isFalse();
        assertThat(state.inputsFor("eu-west", RESIDENCY).nodeActions()).isEmpty();
    }

    @Test
    void operatorActionsAreAnInputReadFromTheStartAndTheirMirrorsCountAsTheCatalogSays() {
        assertThat(InputKind.of(TopicCatalog.OPERATOR_ACTIONS)).contains(InputKind.OPERATOR);
        assertThat(InputKind.OPERATOR.compacted()).isTrue();
        assertThat(InputKind.of("eu-central." + TopicCatalog.OPERATOR_ACTIONS).isPresent())
                .isEqualTo(TopicCatalog.byName(TopicCatalog.OPERATOR_ACTIONS).crossesRegions());
    }
}
