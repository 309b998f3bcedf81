package dev.meridian.scaler.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.policy.scaling.PoolConfig;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import dev.meridian.scaler.Fleet;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The registry row reaches the policy's merge field by field (the merge itself: libs/policy ScalingOverrideTest). */
class PoolConfigsTest {

    private static final NodePool GPU = Fleet.pool("us-east", "gpu-core", 2, 16, 1, CapacityType.ON_DEMAND,
            Criticality.CRITICAL, Map.of("team", "search"));
    private static final NodePool EDGE = Fleet.pool("us-east", "edge", 1, 8, 0, CapacityType.ON_DEMAND,
            Criticality.NORMAL, Map.of());

    @Test
    void everyOverriddenValueLandsInItsOwnSettingAndOtherPoolsKeepTheBase() {
        // every value distinct from the defaults and from each other
        PolicyOverride row = new PolicyOverride("us-east", "gpu-core", Optional.of(new BigDecimal("91.00")),
                Optional.of(new BigDecimal("21.00")), Optional.of(new BigDecimal("71.00")),
                Optional.of(new BigDecimal("98.00")), OptionalInt.of(5), Optional.of(Duration.ofMinutes(9)),
                Optional.of(Duration.ofMinutes(11)), "test", Instant.EPOCH);
        FleetSnapshot fleet = FleetSnapshot.of(List.of(Fleet.region("us-east", "US")), List.of(), List.of(GPU, EDGE),
                List.of(), List.of(), List.of(row));
        PoolConfigs pools = new PoolConfigs(ScalingSettings.DEFAULTS);

        PoolConfig gpu = pools.of(fleet, "us-east", "gpu-core").orElseThrow().config();

        assertThat(gpu.settings()).isEqualTo(new ScalingSettings(91, 21, 71, 98, 5, Duration.ofMinutes(9),
                Duration.ofMinutes(11), 4, Duration.ofSeconds(60), Duration.ofMinutes(5), null, null));
        assertThat(gpu.warmSize()).isEqualTo(1);
        assertThat(pools.of(fleet, "us-east", "edge").orElseThrow().config().settings())
                .isEqualTo(ScalingSettings.DEFAULTS);
        assertThat(pools.of(fleet, "us-east", "unknown")).isEmpty();
    }
}
