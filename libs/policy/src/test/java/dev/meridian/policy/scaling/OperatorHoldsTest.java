package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.OperatorActionsTest.onNode;
import static dev.meridian.policy.scaling.OperatorActionsTest.override;
import static dev.meridian.policy.scaling.OperatorActionsTest.pause;
import static dev.meridian.policy.scaling.OperatorActionsTest.resume;
import static dev.meridian.policy.scaling.OperatorActionsTest.scale;
import static dev.meridian.policy.scaling.ScalingFixtures.T0;
import static dev.meridian.policy.scaling.ScalingFixtures.gpuCore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.json.InternalJsonSerde;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionOverride;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.policy.scaling.OperatorHolds.OverrideHold;
import dev.meridian.policy.scaling.OperatorHolds.PauseHold;
import dev.meridian.policy.scaling.OperatorHolds.ScaleHold;
import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class OperatorHoldsTest {

    private static final Instant END = T0.plusSeconds(600);
    private static final Set<String> PRESENT = Set.of("n-01", "n-02");

    @Test
    void anActionReplacesThePreviousOfItsKindAndResumeAndUncordonEndTheirs() {
        OperatorHolds holds = OperatorHolds.NONE
                .with(scale("s-1", 6, END, "alice"))
                .with(scale("s-2", 8, END.plusSeconds(60), "bob"))
                .with(pause("p-1", null, "alice"))
                .with(override("o-1", new ActionOverride(70.0, null, null, null, null, null), END, "carol"))
                .with(onNode("c-1", ActionKind.CORDON, "n-01", "dave"))
                .with(onNode("d-1", ActionKind.DRAIN, "n-02", "dave"));

        assertThat(holds.scale()).isEqualTo(new ScaleHold("s-2", 8, END.plusSeconds(60), "bob"));
        assertThat(holds.pause()).isEqualTo(new PauseHold("p-1", null, "alice"));
        assertThat(holds.override().actionId()).isEqualTo("o-1");
        assertThat(holds.cordoned()).containsExactly("n-01", "n-02");
        assertThat(holds.drains()).extracting(OperatorAction::nodeId).containsExactly("n-02");

        OperatorHolds after = holds.with(resume("r-1", "alice"))
                .with(onNode("u-1", ActionKind.UNCORDON, "n-01", "dave"))
                .with(onNode("c-2", ActionKind.CORDON, "n-02", "dave"));

        assertThat(after.pause()).isNull();
        assertThat(after.scale()).isEqualTo(holds.scale());
        assertThat(after.cordoned()).containsExactly("n-02");
        assertThat(after.drains()).as("a CORDON replaces the node's DRAIN").isEmpty();
        // idempotent: nothing to resume, nothing to uncordon
        assertThat(after.with(resume("r-2", "alice")).with(onNode("u-2", ActionKind.UNCORDON, "n-09", "dave")))
                .isSameAs(after);
        assertThat(OperatorHolds.NONE.with(scale("s-1", 6, END, "alice"))).isEqualTo(
                OperatorHolds.NONE.with(scale("s-1", 6, END, "alice")).with(scale("s-1", 6, END, "alice")));
    }

    @Test
    void expiredAtDropsWhatEndedByThenAndKeepsOpenEndedPausesAndNodes() {
        OperatorHolds holds = OperatorHolds.NONE
                .with(scale("s-1", 6, END, "alice"))
                .with(pause("p-1", null, "alice"))
                .with(override("o-1", new ActionOverride(70.0, null, null, null, null, null), END.plusSeconds(60),
                        "carol"))
                .with(onNode("c-1", ActionKind.CORDON, "n-01", "dave"));

        assertThat(holds.nextExpiry()).isEqualTo(END);
        assertThat(holds.expiredAt(END.minusMillis(1))).isSameAs(holds);

        OperatorHolds atEnd = holds.expiredAt(END);
        assertThat(atEnd.scale()).as("until is exclusive").isNull();
        assertThat(atEnd.pause()).isNotNull();
        assertThat(atEnd.override()).isNotNull();
        assertThat(atEnd.nextExpiry()).isEqualTo(END.plusSeconds(60));

        OperatorHolds later = holds.expiredAt(END.plusSeconds(3600));
        assertThat(later).isEqualTo(new OperatorHolds(null, new PauseHold("p-1", null, "alice"), null,
                holds.nodes()));
        assertThat(later.nextExpiry()).isNull();
        assertThat(OperatorHolds.NONE.with(pause("p-2", END, "alice")).expiredAt(END)).isEqualTo(OperatorHolds.NONE);
        assertThat(holds.retainNodes(Set.of("n-02")).cordoned()).isEmpty();
    }

    @Test
    void rejectionsNameWhyInASentence() {
        PoolConfig pool = gpuCore(); // us-east/gpu-core, 2..16, 80 / 60 / 30 %

        assertThat(reject(scale("s-1", 16, END, "alice"), pool)).isEmpty();
        assertThat(reject(scale("s-1", 2, END, "alice"), pool)).isEmpty();
        assertThat(reject(scale("s-1", 17, END, "alice"), pool))
                .contains("SCALE to 17 nodes is outside the bounds of pool us-east/gpu-core (2..16)");
        assertThat(reject(scale("s-1", 1, END, "alice"), pool))
                .contains("SCALE to 1 nodes is outside the bounds of pool us-east/gpu-core (2..16)");
        assertThat(reject(new OperatorAction("s-1", ActionKind.SCALE, "us-east", "cpu-edge", null, 4, END, null,
                "alice", null, T0), pool)).contains("SCALE is for pool us-east/cpu-edge, not us-east/gpu-core");
        assertThat(reject(scale("s-1", 4, T0.plusSeconds(60), "alice"), pool, T0.plusSeconds(60)))
                .contains("SCALE until 2026-11-27T10:01:00Z has already ended (now 2026-11-27T10:01:00Z)");
        assertThat(reject(pause("p-1", T0.plusSeconds(60), "alice"), pool, T0.plusSeconds(61)))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("PAUSE until"));
        assertThat(reject(pause("p-1", null, "alice"), pool)).isEmpty();
        assertThat(reject(resume("r-1", "alice"), pool)).isEmpty();

        assertThat(reject(onNode("d-1", ActionKind.DRAIN, "n-01", "dave"), pool)).isEmpty();
        assertThat(reject(onNode("d-1", ActionKind.DRAIN, "n-09", "dave"), pool))
                .contains("DRAIN of node n-09: no such node in pool us-east/gpu-core");
        assertThat(reject(onNode("c-1", ActionKind.CORDON, "n-09", "dave"), pool))
                .contains("CORDON of node n-09: no such node in pool us-east/gpu-core");
        assertThat(reject(onNode("u-1", ActionKind.UNCORDON, "n-09", "dave"), pool)).as("idempotent").isEmpty();

        assertThat(reject(new OperatorAction("s-1", ActionKind.SCALE, "us-east", "gpu-core", null, null, END, null,
                "alice", null, T0), pool)).contains("invalid action: SCALE needs nodes");
    }

    @Test
    void anOverrideMustFitThePoolOnceMerged() {
        PoolConfig pool = gpuCore();

        assertThat(reject(overriding(new ActionOverride(70.0, 20.0, 50.0, 2, 4, 12)), pool)).isEmpty();
        // a target of 85 is above the pool's scale-out of 80: judged merged
        assertThat(reject(overriding(new ActionOverride(null, null, 85.0, null, null, null)), pool))
                .contains("OVERRIDE thresholds contradict once merged with pool us-east/gpu-core: need scale-in < "
                        + "target < scale-out, was 30 / 85 / 80 %");
        assertThat(reject(overriding(new ActionOverride(90.0, null, 85.0, null, null, null)), pool)).isEmpty();
        assertThat(reject(overriding(new ActionOverride(null, null, null, null, null, 17)), pool))
                .contains("OVERRIDE max 17 is above the max 16 of pool us-east/gpu-core");
        // min 2 of the pool above an override's max of 1
        assertThat(reject(overriding(new ActionOverride(null, null, null, null, null, 1)), pool))
                .contains("OVERRIDE bounds of pool us-east/gpu-core would be 2..1: min must not exceed max");
        assertThat(reject(overriding(new ActionOverride(null, null, null, null, 0, null)), pool)).isEmpty();
    }

    @Test
    void theOverridesSettingsAndBoundsAreThePoolsWhileItHolds() {
        PoolConfig pool = ScalingFixtures.pool(2, 16, 3, Criticality.NORMAL,
                ScalingSettings.DEFAULTS);
        OperatorHolds holds = OperatorHolds.NONE.with(overriding(new ActionOverride(70.0, null, 50.0, 2, 0, 2)));

        assertThat(holds.settings(ScalingSettings.DEFAULTS)).isEqualTo(
                ScalingSettings.DEFAULTS.withThresholds(70, 30, 50).withSustainWindows(2));
        assertThat(holds.minSize(pool)).isZero();
        assertThat(holds.maxSize(pool)).isEqualTo(2);
        PoolConfig overridden = holds.config(pool);
        assertThat(overridden.minSize()).isZero();
        assertThat(overridden.maxSize()).isEqualTo(2);
        assertThat(overridden.warmSize()).as("the warm pool fits under the max").isEqualTo(2);
        assertThat(overridden.settings().scaleOutUtilization()).isEqualTo(70);

        assertThat(OperatorHolds.NONE.config(pool)).isSameAs(pool);
        assertThat(OperatorHolds.NONE.settings(ScalingSettings.DEFAULTS)).isSameAs(ScalingSettings.DEFAULTS);
        assertThat(holds.expiredAt(END).config(pool)).isSameAs(pool);

        // accepted against one base, judged against another later (the registry changed): the pool's own apply
        ScalingSettings changed = ScalingSettings.DEFAULTS.withThresholds(95, 60, 80);
        assertThat(holds.settings(changed)).isEqualTo(changed.withSustainWindows(2));
        PoolConfig shrunk = ScalingFixtures.pool(1, 1, 0, Criticality.NORMAL,
                ScalingSettings.DEFAULTS);
        assertThat(holds.minSize(shrunk)).isEqualTo(1);
        assertThat(holds.maxSize(shrunk)).isEqualTo(1);
    }

    @Test
    void survivesTheScalersStoreSerdeUnchanged() {
        OperatorHolds holds = OperatorHolds.NONE
                .with(scale("s-1", 6, END, "alice"))
                .with(pause("p-1", null, "alice"))
                .with(overriding(new ActionOverride(70.0, null, null, 2, null, 10)))
                .with(onNode("c-1", ActionKind.CORDON, "n-01", "dave"))
                .with(onNode("d-1", ActionKind.DRAIN, "n-02", "dave"));
        Serde<OperatorHolds> serde = InternalJsonSerde.of(OperatorHolds.class);

        assertThat(roundTrip(serde, holds)).isEqualTo(holds);
        assertThat(roundTrip(serde, OperatorHolds.NONE)).isEqualTo(OperatorHolds.NONE);
        assertThat(new String(serde.serializer().serialize("t", OperatorHolds.NONE))).isEqualTo("{\"nodes\":{}}");
        assertThat(holds.override()).isEqualTo(new OverrideHold("o-1", new ActionOverride(70.0, null, null, 2, null,
                10), END, "carol"));

        Serde<PoolScalingState> state = InternalJsonSerde.of(PoolScalingState.class);
        PoolScalingState applied = new PoolScalingState(null, null, null, null, null, List.of(),
                List.of(new DrainingNode("n-02", "operator/d-1", "d", END, false, "dave")),
                List.of(), null, List.of("n-02"), List.of(), List.of(), "s-1");
        assertThat(state.deserializer().deserialize("t", state.serializer().serialize("t", applied)))
                .isEqualTo(applied);
    }

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    private static OperatorAction overriding(ActionOverride values) {
        return override("o-1", values, END, "carol");
    }

    private static Optional<String> reject(OperatorAction action, PoolConfig pool) {
        return reject(action, pool, T0.plusSeconds(1));
    }

    private static Optional<String> reject(OperatorAction action, PoolConfig pool, Instant now) {
        return OperatorHolds.rejection(action, pool, PRESENT, now);
    }
}
