package dev.meridian.fleetsim.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.rules.FleetRules;
import dev.meridian.registry.rules.ScaledPool;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The what-if's seed registry, read as the scaler reads it (the reading itself: libs/registry FleetRulesTest). */
class SeedPoolsTest {

    @Test
    void theSeedsOverrideAppliesToItsPoolOnly() {
        Map<String, ScaledPool> pools = FleetRules.scaledPools(SeedFleet.snapshot(), ScalingSettings.DEFAULTS);

        // the seed's us-east/gpu-batch row: scale-out 90, scale-in 20, target 75, 6 windows, 600 s stabilization;
        // memory resize and cooldown are the base's
        assertThat(pools.get("us-east/gpu-batch").config().settings()).isEqualTo(new ScalingSettings(90, 20, 75, 95,
                6, Duration.ofSeconds(600), Duration.ofMinutes(5), 4, Duration.ofSeconds(60), Duration.ofMinutes(5),
                null, null));
        assertThat(pools.get("us-east/gpu-core").config().settings()).isEqualTo(ScalingSettings.DEFAULTS);
    }
}
