package dev.meridian.registry.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.policy.cost.Budget;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.scaling.PoolConfig;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.AllowListEntry;
import dev.meridian.registry.config.BudgetScopeType;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import dev.meridian.registry.config.Region;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The registry's rows reach the policies field by field (the policies themselves are tested in libs/policy). */
class FleetRulesTest {

    private static final NodePool GPU = pool("us-east", "gpu-core", 1, Map.of("team", "search"));
    private static final NodePool EDGE = pool("us-east", "edge", 0, Map.of());

    @Test
    void everyOverriddenValueLandsInItsOwnSettingAndOtherPoolsKeepTheBase() {
        // every value distinct from the defaults and from each other
        PolicyOverride row = new PolicyOverride("us-east", "gpu-core", Optional.of(new BigDecimal("91.00")),
                Optional.of(new BigDecimal("21.00")), Optional.of(new BigDecimal("71.00")),
                Optional.of(new BigDecimal("98.00")), OptionalInt.of(5), Optional.of(Duration.ofMinutes(9)),
                Optional.of(Duration.ofMinutes(11)), "test", Instant.EPOCH);
        FleetSnapshot fleet = FleetSnapshot.of(List.of(region("us-east", "US")), List.of(), List.of(GPU, EDGE),
                List.of(), List.of(), List.of(row));

        PoolConfig gpu = FleetRules.scaledPool(fleet, "us-east", "gpu-core", ScalingSettings.DEFAULTS)
                .orElseThrow().config();

        assertThat(gpu.settings()).isEqualTo(new ScalingSettings(91, 21, 71, 98, 5, Duration.ofMinutes(9),
                Duration.ofMinutes(11), 4, Duration.ofSeconds(60), Duration.ofMinutes(5), null, null));
        assertThat(gpu.warmSize()).isEqualTo(1);
        assertThat(FleetRules.scaledPool(fleet, "us-east", "edge", ScalingSettings.DEFAULTS).orElseThrow().config()
                .settings()).isEqualTo(ScalingSettings.DEFAULTS);
        assertThat(FleetRules.scaledPool(fleet, "us-east", "unknown", ScalingSettings.DEFAULTS)).isEmpty();
        assertThat(FleetRules.scaledPools(fleet, ScalingSettings.DEFAULTS)).containsOnlyKeys("us-east/gpu-core",
                "us-east/edge");
    }

    @Test
    void aPoolsCostTagsAreTheOnesCostTagsItsSpendWith() {
        FleetSnapshot fleet = FleetSnapshot.of(List.of(region("us-east", "US")), List.of(), List.of(GPU), List.of(),
                List.of(), List.of());

        assertThat(FleetRules.scaledPool(fleet, "us-east", "gpu-core", ScalingSettings.DEFAULTS).orElseThrow()
                .costTags()).contains(entry("team", "search"), entry("pool", "gpu-core"));
    }

    @Test
    void residencyKeepsZonesAndTheAllowListAndKnowsNoOtherZones() {
        FleetSnapshot fleet = FleetSnapshot.of(List.of(region("eu-west", "EU"), region("us-east", "US"),
                region("mars-1", "MARS")), List.of(new AllowListEntry("eu-west", "us-east", "contract", "test",
                Instant.EPOCH)), List.of(), List.of(), List.of(), List.of());

        Residency residency = FleetRules.residency(fleet);

        assertThat(residency.refuseServing("eu-west", "us-east")).isEmpty();
        assertThat(residency.refuseServing("us-east", "eu-west")).isPresent();
        assertThat(residency.refuseClient("mars-1")).map(Residency.Refusal::reason)
                .contains(ExclusionReason.UNKNOWN_ZONE);
        assertThat(FleetRules.clientRegions(fleet)).containsExactly("eu-west", "mars-1", "us-east");
    }

    @Test
    void aBudgetWhoseScopeCannotBeReadIsSkippedWithItsReason() {
        FleetSnapshot fleet = FleetSnapshot.of(List.of(), List.of(), List.of(), List.of(),
                List.of(budget("global", "1000.00"), budget("no-such-scope", "5.00")), List.of());
        List<String> skipped = new ArrayList<>();

        List<Budget> budgets = FleetRules.budgets(fleet, (scope, reason) -> skipped.add(scope + ": " + reason));

        assertThat(budgets).extracting(b -> b.scope().scope()).containsExactly("global");
        assertThat(budgets.get(0).monthlyAmount()).isEqualByComparingTo("1000.00");
        assertThat(skipped).singleElement().asString().startsWith("no-such-scope: ");
    }

    private static Region region(String name, String zone) {
        return new Region(name, zone, name, "test", Instant.EPOCH);
    }

    private static NodePool pool(String region, String name, int warm, Map<String, String> tags) {
        return new NodePool(region, name, Tier.CORE_GPU, 2, 16, warm, List.of("g5.xlarge", "g5.12xlarge"),
                CapacityType.ON_DEMAND, false, Criticality.CRITICAL, tags, "test", Instant.EPOCH);
    }

    private static dev.meridian.registry.config.Budget budget(String scope, String amount) {
        return new dev.meridian.registry.config.Budget(scope, BudgetScopeType.GLOBAL, Optional.empty(),
                Optional.empty(), Optional.empty(), new BigDecimal(amount), "USD", "test", Instant.EPOCH);
    }
}
