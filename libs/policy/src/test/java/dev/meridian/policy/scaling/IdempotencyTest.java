package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.ScalingFixtures.gpuCore;
import static dev.meridian.policy.scaling.ScalingFixtures.serving;
import static dev.meridian.policy.scaling.ScalingFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.policy.scaling.ScalingFixtures.Timeline;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdempotencyTest {

    @Test
    void theSameWindowTwiceChangesNothingAndEmitsNothing() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        pool.windows(0, 2, 87.5);
        PoolScalingState after = pool.state;

        // redelivered 20 s later (still inside the provisioning timeout), and an older window after it
        Outcome again = ScalingPolicy.decide(after, new PoolSnapshot(gpuCore(), window(2, 87.5), serving(4), List.of(),
                BudgetState.OK), ScalingFixtures.windowEnd(2).plusSeconds(21));
        Outcome older = ScalingPolicy.decide(after, new PoolSnapshot(gpuCore(), window(1, 99), serving(4), List.of(),
                BudgetState.OK), ScalingFixtures.windowEnd(2).plusSeconds(22));

        assertThat(again.commands()).isEmpty();
        assertThat(again.state()).isEqualTo(after);
        assertThat(older.commands()).isEmpty();
        assertThat(older.state()).isEqualTo(after);
    }

    @Test
    void resumingFromTheStoredStateDecidesExactlyAsAnUninterruptedRun() {
        Timeline uninterrupted = new Timeline(gpuCore(), serving(6));
        uninterrupted.windows(0, 40, 87.5);

        Timeline beforeCrash = new Timeline(gpuCore(), serving(6));
        beforeCrash.windows(0, 17, 87.5);
        Timeline afterRestart = new Timeline(gpuCore(), serving(6));
        afterRestart.state = beforeCrash.state;
        // the window being processed at the crash is redelivered: it must not be decided twice
        afterRestart.window(17, 87.5);
        afterRestart.windows(18, 40, 87.5);

        List<ScaleCommand> resumed = new ArrayList<>(beforeCrash.all);
        resumed.addAll(afterRestart.all);
        assertThat(uninterrupted.all).isNotEmpty();
        assertThat(resumed).isEqualTo(uninterrupted.all);
        assertThat(afterRestart.state).isEqualTo(uninterrupted.state);
    }

    @Test
    void theOrderOfTheInventoryDoesNotMatter() {
        List<PoolNode> shuffled = new ArrayList<>(ScalingFixtures.serving(6));
        Collections.reverse(shuffled);
        Timeline sorted = new Timeline(gpuCore(), serving(6));
        Timeline reversed = new Timeline(gpuCore(), shuffled);

        sorted.windows(0, 29, 10);
        reversed.windows(0, 29, 10);

        assertThat(sorted.all).extracting(ScaleCommand::action).containsExactly(ScaleAction.DRAIN);
        assertThat(reversed.all).isEqualTo(sorted.all);
    }

    @Test
    void commandIdsAreReadableAndDeterministic() {
        assertThat(CommandIds.of("us-east", "gpu-core", ScaleAction.SCALE_OUT, "2026-11-27T10:00:30Z"))
                .isEqualTo("us-east/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z");
    }

    @Test
    void anOverlongCommandIdBecomesANameBasedUuidOfTheReadableKey() {
        String node = "n".repeat(120);
        String key = "us-east/gpu-core/DRAIN/" + node + "/2026-11-27T10:00:05Z";

        String id = CommandIds.of("us-east", "gpu-core", ScaleAction.DRAIN, node + "/2026-11-27T10:00:05Z");

        assertThat(id).isEqualTo(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_16BE)).toString());
        assertThat(CommandIds.of("us-east", "gpu-core", ScaleAction.REPLACE, node + "/2026-11-27T10:00:05Z"))
                .isNotEqualTo(id);
    }
}
