package dev.meridian.contracts.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.validation.Violation;
import org.junit.jupiter.api.Test;

class ScaleCommandTest {

    private static final ScaleCommand SCALE_OUT = ContractSamples.scaleOut();

    @Test
    void deferredCommandCarriesTheHeldBackAction() {
        ScaleCommand deferred = JsonTrees.with(JsonTrees.with(SCALE_OUT, "action", "\"DEFERRED\""), "deferredAction",
                "\"SCALE_OUT\"");

        assertThat(deferred.violations()).isEmpty();
        assertThat(deferred.effectiveAction()).isEqualTo(ScaleAction.SCALE_OUT);
    }

    @Test
    void rejectsDeferredCommandWithoutDeferredAction() {
        ScaleCommand deferred = JsonTrees.with(SCALE_OUT, "action", "\"DEFERRED\"");

        assertThat(deferred.violations()).containsExactly(new Violation("deferredAction", "consistency",
                "deferredAction must be set when action is DEFERRED"));
    }

    @Test
    void rejectsDeferredActionOnACommandThatWasNotDeferred() {
        ScaleCommand command = JsonTrees.with(SCALE_OUT, "deferredAction", "\"SCALE_OUT\"");

        assertThat(command.violations()).containsExactly(new Violation("deferredAction", "consistency",
                "deferredAction must be null unless action is DEFERRED, was SCALE_OUT"));
    }

    @Test
    void rejectsDeltaThatDisagreesWithTheNodeCounts() {
        ScaleCommand command = JsonTrees.with(SCALE_OUT, "delta", "3");

        assertThat(command.violations()).containsExactly(new Violation("delta", "consistency",
                "delta must equal desiredNodes - currentNodes (4), was 3"));
    }

    @Test
    void resizeNeedsATargetTypeAndOnlyResizeHasOne() {
        ScaleCommand resize = JsonTrees.with(SCALE_OUT, "action", "\"RESIZE\"");
        ScaleCommand outWithTarget = JsonTrees.with(SCALE_OUT, "targetInstanceType", "\"p5.48xlarge\"");

        assertThat(resize.violations()).extracting(Violation::field).containsExactly("targetInstanceType");
        assertThat(outWithTarget.violations()).extracting(Violation::field).containsExactly("targetInstanceType");
    }

    @Test
    void drainMustNameItsNodes() {
        ScaleCommand drain = JsonTrees.with(JsonTrees.with(JsonTrees.with(SCALE_OUT, "action", "\"DRAIN\""),
                "desiredNodes", "8"), "delta", "-2");

        assertThat(drain.violations()).containsExactly(new Violation("nodes", "consistency",
                "nodes must name the nodes to DRAIN"));
        assertThat(JsonTrees.with(drain, "nodes", "[\"gpu-use1-0003\", \"gpu-use1-0009\"]").violations()).isEmpty();
    }

    @Test
    void onlyAnExceededBudgetCanFlagOverBudget() {
        ScaleCommand command = JsonTrees.with(SCALE_OUT, "overBudget", "true");

        assertThat(command.violations()).extracting(Violation::field).containsExactly("overBudget");
        assertThat(JsonTrees.with(command, "budgetState", "\"EXCEEDED\"").violations()).isEmpty();
    }

    @Test
    void writesThePurposeAndReadsItBack() {
        ScaleCommand refill = JsonTrees.with(SCALE_OUT, "purpose", "\"WARM_POOL\"");

        String json = ContractJson.writeString(refill);

        assertThat(JsonTrees.parse(json).path("purpose").asText()).isEqualTo("WARM_POOL");
        assertThat(ContractJson.read(json, ScaleCommand.class)).isEqualTo(refill);
        assertThat(refill.effectivePurpose()).isEqualTo(ScalePurpose.WARM_POOL);
    }

    @Test
    void aRecordWrittenBeforeThePurposeExistedServes() {
        String old = JsonTrees.remove(SCALE_OUT, "purpose");

        ScaleCommand read = ContractJson.read(old, ScaleCommand.class);

        assertThat(read.purpose()).isNull();
        assertThat(read.effectivePurpose()).isEqualTo(ScalePurpose.SERVE);
        assertThat(read.violations()).isEmpty();
    }

    @Test
    void keyIsRegionSlashPool() {
        assertThat(SCALE_OUT.key()).isEqualTo("us-east/inference-a100");
    }
}
