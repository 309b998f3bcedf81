package dev.meridian.scheduler.routing;

import static dev.meridian.scheduler.Fleet.inventory;
import static dev.meridian.scheduler.Fleet.latency;
import static dev.meridian.scheduler.Fleet.node;
import static dev.meridian.scheduler.Fleet.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.policy.routing.Decision;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.routing.RoutingPolicy;
import dev.meridian.policy.routing.RoutingSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingEngineTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private static final Residency RESIDENCY = new Residency(
            Map.of("eu-west", "EU", "eu-central", "EU", "us-east", "US"), Set.of("EU", "US"), Map.of());

    private final RoutingEngine engine = new RoutingEngine(new RoutingPolicy(RoutingSettings.DEFAULTS));
    private final InputState state = new InputState(Set.of("eu-west"), Duration.ofHours(1));

    @Test
    void continuesTheVersionNumbersItRestored() {
        feed();
        RoutingWeights before = new RoutingWeights("eu-west", 41, T0.minusSeconds(60), false, List.of(), List.of());
        engine.restore(Map.of("eu-west", before));

        RoutingEngine.Round round = engine.decide(Set.of("eu-west"), RESIDENCY, state, T0);

        assertThat(round.publish()).singleElement()
                .satisfies(p -> assertThat(p.weights().version()).isEqualTo(42));
    }

    @Test
    void publishesOnceThenHoldsUntilSomethingChanges() {
        feed();

        RoutingEngine.Round first = engine.decide(Set.of("eu-west", "us-east"), RESIDENCY, state, T0);
        engine.confirm(first.publish());
        RoutingEngine.Round again = engine.decide(Set.of("eu-west", "us-east"), RESIDENCY, state, T0.plusSeconds(1));

        assertThat(first.publish()).extracting(Decision.Publish::cause)
                .containsOnly(Decision.Cause.FIRST).hasSize(2);
        assertThat(again.publish()).isEmpty();
        assertThat(again.nextCheckAt()).isAfter(T0.plusSeconds(1));
        RoutingWeights euWest = engine.published().get("eu-west");
        assertThat(euWest.table(Tier.CORE_GPU).orElseThrow().regions())
                .extracting(r -> r.region()).containsExactly("eu-central", "eu-west");
        assertThat(engine.published().get("us-east").table(Tier.CORE_GPU).orElseThrow().regions())
                .as("us-east clients never get EU regions, and us-east has no latency probe").isEmpty();
    }

    @Test
    void aVersionThatWasNotConfirmedIsDecidedAgainWithTheSameNumber() {
        feed();
        engine.restore(Map.of("eu-west", new RoutingWeights("eu-west", 7, T0.minusSeconds(60), false, List.of(),
                List.of())));

        RoutingEngine.Round failed = engine.decide(Set.of("eu-west"), RESIDENCY, state, T0);
        assertThat(failed.publish()).singleElement().satisfies(p -> assertThat(p.weights().version()).isEqualTo(8));
        assertThat(engine.published().get("eu-west").version()).as("not written, not confirmed").isEqualTo(7);

        RoutingEngine.Round retry = engine.decide(Set.of("eu-west"), RESIDENCY, state, T0.plusSeconds(1));
        assertThat(retry.publish()).singleElement().satisfies(p -> {
            assertThat(p.weights().version()).as("the failed number again, not a gap").isEqualTo(8);
            assertThat(p.cause()).isEqualTo(failed.publish().get(0).cause());
        });

        engine.confirm(retry.publish());
        assertThat(engine.published().get("eu-west").version()).isEqualTo(8);
        assertThat(engine.decide(Set.of("eu-west"), RESIDENCY, state, T0.plusSeconds(2)).publish())
                .as("confirmed: nothing new to publish").isEmpty();
    }

    private void feed() {
        state.apply(InputKind.POOL, null, pool("eu-west", "gpu", 2, 50, T0));
        state.apply(InputKind.POOL, null, pool("eu-central", "gpu", 4, 30, T0));
        state.apply(InputKind.LATENCY, null, latency("eu-west", "eu-west", 2, T0));
        state.apply(InputKind.LATENCY, null, latency("eu-west", "eu-central", 20, T0));
        state.apply(InputKind.NODE, null, node("n1", "eu-west", "gpu", 40, T0));
        state.apply(InputKind.INVENTORY, "n1", inventory("n1", "eu-west", "gpu", NodeState.JOINED, T0));
    }
}
