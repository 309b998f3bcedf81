package dev.meridian.contracts.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorActionTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(3600);

    private static OperatorAction action(ActionKind kind, String node, Integer nodes, Instant until,
            ActionOverride override) {
        return new OperatorAction("a-1", kind, "ap-southeast", "gpu-a", node, nodes, until, override, "apac-op",
                null, T0);
    }

    private static List<String> fields(OperatorAction action) {
        return action.violations().stream().map(Violation::field).toList();
    }

    @Test
    void eachKindTakesExactlyItsOwnFields() {
        assertThat(fields(action(ActionKind.SCALE, null, 4, LATER, null))).isEmpty();
        assertThat(fields(action(ActionKind.SCALE, null, null, LATER, null))).containsExactly("nodes");
        assertThat(fields(action(ActionKind.SCALE, null, 4, null, null))).containsExactly("until");
        assertThat(fields(action(ActionKind.PAUSE, null, null, null, null))).isEmpty();
        assertThat(fields(action(ActionKind.RESUME, null, null, LATER, null))).containsExactly("until");
        assertThat(fields(action(ActionKind.DRAIN, "n-1", null, null, null))).isEmpty();
        assertThat(fields(action(ActionKind.CORDON, null, null, null, null))).containsExactly("nodeId");
        assertThat(fields(action(ActionKind.PAUSE, "n-1", null, null, null))).containsExactly("nodeId");
        assertThat(fields(action(ActionKind.OVERRIDE, null, null, LATER, null))).containsExactly("override");
        assertThat(fields(action(ActionKind.DRAIN, "n-1", 3, null, null))).containsExactly("nodes");
    }

    @Test
    void anEndMustLieAfterTheRequestAndAnOverrideMustChangeSomethingConsistent() {
        assertThat(fields(action(ActionKind.SCALE, null, 4, T0, null))).containsExactly("until");
        assertThat(fields(action(ActionKind.OVERRIDE, null, null, LATER,
                new ActionOverride(null, null, null, null, null, null)))).containsExactly("override.override");
        assertThat(fields(action(ActionKind.OVERRIDE, null, null, LATER,
                new ActionOverride(null, null, null, null, 9, 3)))).containsExactly("override.minNodes");
        assertThat(fields(action(ActionKind.OVERRIDE, null, null, LATER,
                new ActionOverride(120.0, null, null, 0, null, null))))
                .containsExactlyInAnyOrder("override.scaleOutUtilization", "override.sustainWindows");
    }

    @Test
    void theKeyGivesEachPoolAndKindOneSlotAndEachNodeOne() {
        assertThat(action(ActionKind.PAUSE, null, null, null, null).key())
                .isEqualTo(action(ActionKind.RESUME, null, null, null, null).key())
                .isEqualTo("ap-southeast/gpu-a/pause");
        assertThat(action(ActionKind.CORDON, "n-1", null, null, null).key())
                .isEqualTo(action(ActionKind.UNCORDON, "n-1", null, null, null).key())
                .isEqualTo(action(ActionKind.DRAIN, "n-1", null, null, null).key())
                .isNotEqualTo(action(ActionKind.DRAIN, "n-2", null, null, null).key());
        assertThat(action(ActionKind.SCALE, null, 2, LATER, null).key()).isEqualTo("ap-southeast/gpu-a/scale");
    }

    @Test
    void aResultHasAReasonExactlyWhenRejected() {
        OperatorAction pause = action(ActionKind.PAUSE, null, null, null, null);
        assertThat(ActionResult.applied(pause, T0).violations()).isEmpty();
        assertThat(ActionResult.rejected(pause, "pool gone", T0).violations()).isEmpty();
        assertThat(new ActionResult(pause, ActionStatus.APPLIED, "why?", T0).violations())
                .extracting(Violation::field).containsExactly("reason");
        assertThat(new ActionResult(pause, ActionStatus.REJECTED, null, T0).violations())
                .extracting(Violation::field).containsExactly("reason");
    }
}
