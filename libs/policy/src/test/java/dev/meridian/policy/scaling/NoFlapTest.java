package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.ScalingFixtures.pool;
import static dev.meridian.policy.scaling.ScalingFixtures.serving;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.policy.scaling.ScalingFixtures.Timeline;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The no-flap definition: a signal oscillating ±5 points around a threshold with a period shorter than the sustain
 * period produces no command. The signal is the pool's window series, which is what the scaler sees; the period is
 * measured in windows. For the scale-out threshold the period that matters is {@code sustainWindows}, for the
 * scale-in threshold the stabilization window.
 */
class NoFlapTest {

    private static final int WINDOWS = 180;

    @Test
    void squareWaveOfTwoWindowsAroundTheScaleOutThresholdForHalfAnHour() {
        Timeline pool = new Timeline(pool(1, 16, 0, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(6));

        for (int k = 0; k < WINDOWS; k++) {
            pool.window(k, k % 2 == 0 ? 85 : 75);
        }

        assertThat(pool.all).isEmpty();
    }

    @Test
    void theSameBandHeldForTheSustainPeriodDoesScaleOut() {
        Timeline pool = new Timeline(pool(1, 16, 0, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(6));

        // 85, 85, 75 repeating has period 3 = the sustain period, not shorter: the third 85 would be needed, so
        // still nothing; 85 three times in a row (a period of 4) is the shortest that triggers
        for (int k = 0; k < 60; k++) {
            pool.window(k, k % 3 == 2 ? 75 : 85);
        }
        assertThat(pool.all).isEmpty();
        for (int k = 60; k < 63; k++) {
            pool.window(k, 85);
        }
        // ceil(6 × 85 / 60) = ceil(8.5) = 9
        assertThat(pool.all).singleElement().extracting(ScaleCommand::desiredNodes).isEqualTo(9);
    }

    @Test
    void oscillationAroundAThresholdFasterThanItsPeriodProducesNoCommand() {
        // 300 seeded cases: either threshold, any sustain of 3..6, period, split, phase, amplitude up to ±5, size.
        SplittableRandom random = new SplittableRandom(0x5EED_F1A9L);
        for (int i = 0; i < 300; i++) {
            boolean aroundScaleIn = random.nextBoolean();
            int sustainWindows = random.nextInt(3, 7);
            double above = random.nextDouble(0.01, 5);
            double below = random.nextDouble(0, 5);
            int nodes = random.nextInt(2, 13);
            oscillationProducesNoCommand(aroundScaleIn, sustainWindows, random.nextInt(1001), random.nextInt(1001),
                    random.nextInt(1001), above, below, nodes);
        }
    }

    private void oscillationProducesNoCommand(boolean aroundScaleIn, int sustainWindows, int periodSeed, int dutySeed,
            int phaseSeed, double above, double below, int nodes) {
        ScalingSettings settings = ScalingSettings.DEFAULTS.withSustainWindows(sustainWindows);
        double threshold = aroundScaleIn ? settings.scaleInUtilization() : settings.scaleOutUtilization();
        // the stabilization window of 5 min is 30 windows of 10 s
        int conditionPeriod = aroundScaleIn ? 30 : sustainWindows;
        // a period of 2 .. conditionPeriod - 1 windows, any split between the two sides, any phase
        int period = 2 + periodSeed % (conditionPeriod - 2);
        int onTheTriggerSide = 1 + dutySeed % (period - 1);
        int phase = phaseSeed % period;
        Timeline pool = new Timeline(pool(1, 16, 0, Criticality.CRITICAL, settings), serving(nodes));

        for (int k = 0; k < WINDOWS; k++) {
            boolean triggerSide = (k + phase) % period < onTheTriggerSide;
            double load;
            if (aroundScaleIn) {
                load = triggerSide ? threshold - above : threshold + below;
            } else {
                load = triggerSide ? threshold + above : threshold - below;
            }
            pool.window(k, load);
        }

        String scenario = String.format("around %s, sustain %d, period %d, on %d, phase %d, +%.3f/-%.3f, %d nodes",
                aroundScaleIn ? "scale-in" : "scale-out", sustainWindows, period, onTheTriggerSide, phase, above, below,
                nodes);
        assertThat(period).as(scenario).isLessThan(conditionPeriod);
        assertThat(pool.all).as(scenario).isEmpty();
    }
}
