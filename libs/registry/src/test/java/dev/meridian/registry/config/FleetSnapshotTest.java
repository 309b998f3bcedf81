package dev.meridian.registry.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class FleetSnapshotTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant JULY = Instant.parse("2026-07-01T00:00:00Z");

    private static Region region(String name, String zone) {
        return new Region(name, zone, name, "seed", T0);
    }

    private static Price price(String region, String type, CapacityType capacity, Instant from, Instant until,
            String amount) {
        return new Price(region, type, capacity, from, Optional.ofNullable(until), new BigDecimal(amount), "USD",
                "seed", T0);
    }

    private static NodePool pool(String region, String name) {
        return new NodePool(region, name, Tier.CORE_GPU, 1, 4, 1, List.of("g5.48xlarge", "p5.48xlarge"),
                CapacityType.ON_DEMAND, false, Criticality.CRITICAL, Map.of("team", "serving"), "seed", T0);
    }

    private static final FleetSnapshot FLEET = FleetSnapshot.of(
            List.of(region("us-east", "US"), region("us-west", "US"), region("eu-west", "EU"),
                    region("eu-central", "EU"), region("ap-southeast", "APAC"), region("mars-north", "MARS")),
            List.of(new AllowListEntry("ap-southeast", "us-west", "trial", "ops", T0),
                    new AllowListEntry("ap-southeast", "mars-north", "nonsense", "ops", T0),
                    new AllowListEntry("ap-southeast", "nowhere-1", "stale", "ops", T0)),
            List.of(pool("us-east", "gpu-core"), pool("mars-north", "gpu-core"), pool("atlantis-1", "gpu-core")),
            List.of(price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, T0, JULY, "98.3200"),
                    price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, JULY, null, "90.0000"),
                    price("us-east", "p5.48xlarge", CapacityType.SPOT, T0, null, "44.2440"),
                    price("mars-north", "p5.48xlarge", CapacityType.ON_DEMAND, T0, null, "1.0000")),
            List.of(new Budget("global", BudgetScopeType.GLOBAL, Optional.empty(), Optional.empty(), Optional.empty(),
                    new BigDecimal("2500000.00"), "USD", "seed", T0)),
            List.of(new PolicyOverride("us-east", "gpu-core", Optional.of(new BigDecimal("85.00")), Optional.empty(),
                    Optional.empty(), Optional.empty(), OptionalInt.of(4), Optional.empty(), Optional.empty(), "ops", T0),
                    new PolicyOverride("mars-north", "gpu-core", Optional.of(new BigDecimal("85.00")), Optional.empty(),
                    Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(), "ops", T0)));

    @Test
    void regionsOfAZoneAreTheRegionsWithThatZone() {
        assertThat(FLEET.regionsIn(Zone.EU)).extracting(Region::name).containsExactly("eu-central", "eu-west");
        assertThat(FLEET.regionsIn(Zone.APAC)).extracting(Region::name).containsExactly("ap-southeast");
    }

    @Test
    void aClientRegionIsServedByItsZoneOnly() {
        assertThat(FLEET.servingRegions("us-east")).containsExactlyInAnyOrder("us-east", "us-west");
        assertThat(FLEET.mayServe("eu-west", "us-east")).isFalse();
        assertThat(FLEET.mayServe("eu-west", "eu-central")).isTrue();
    }

    @Test
    void allowListAddsKnownRegionsButNeverUnknownOnes() {
        assertThat(FLEET.servingRegions("ap-southeast")).containsExactlyInAnyOrder("ap-southeast", "us-west");
    }

    @Test
    void unknownClientRegionOrZoneIsServedByNobody() {
        assertThat(FLEET.servingRegions("nowhere-1")).isEmpty();
        assertThat(FLEET.servingRegions("mars-north")).isEmpty();
        assertThat(FLEET.servingRegions(null)).isEmpty();
        assertThat(FLEET.mayServe("mars-north", "mars-north")).isFalse();
        assertThat(FLEET.isKnownRegion("mars-north")).isFalse();
        assertThat(FLEET.region("mars-north")).isPresent().get().extracting(Region::zone).isEqualTo(Optional.empty());
    }

    @Test
    void poolsPricesAndOverridesOfUnknownRegionsAreInvisible() {
        assertThat(FLEET.pools()).extracting(p -> p.region() + "/" + p.name()).containsExactly("us-east/gpu-core");
        assertThat(FLEET.pool("mars-north", "gpu-core")).isEmpty();
        assertThat(FLEET.pool("atlantis-1", "gpu-core")).isEmpty();
        assertThat(FLEET.price("mars-north", "p5.48xlarge", CapacityType.ON_DEMAND, T0)).isEmpty();
        assertThat(FLEET.policyOverride("mars-north", "gpu-core")).isEmpty();
        assertThat(FLEET.policyOverride("us-east", "gpu-core")).isPresent();
    }

    @Test
    void priceHonoursEffectivePeriods() {
        assertThat(FLEET.price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, T0))
                .get().extracting(Price::hourlyPrice).isEqualTo(new BigDecimal("98.3200"));
        assertThat(FLEET.price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, JULY.minusMillis(1)))
                .get().extracting(Price::hourlyPrice).isEqualTo(new BigDecimal("98.3200"));
        assertThat(FLEET.price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, JULY))
                .get().extracting(Price::hourlyPrice).isEqualTo(new BigDecimal("90.0000"));
        assertThat(FLEET.price("us-east", "p5.48xlarge", CapacityType.SPOT, JULY))
                .get().extracting(Price::hourlyPrice).isEqualTo(new BigDecimal("44.2440"));
    }

    @Test
    void noPriceBeforeTheFirstPeriodOrForAnUnlistedType() {
        assertThat(FLEET.price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, T0.minusSeconds(1))).isEmpty();
        assertThat(FLEET.price("us-east", "p4d.24xlarge", CapacityType.ON_DEMAND, T0)).isEmpty();
    }

    @Test
    void theLadderStepsUpAndStopsAtTheTop() {
        NodePool pool = FLEET.pool("us-east", "gpu-core").orElseThrow();
        assertThat(pool.nextInstanceType("g5.48xlarge")).contains("p5.48xlarge");
        assertThat(pool.nextInstanceType("p5.48xlarge")).isEmpty();
        assertThat(pool.nextInstanceType("m5.large")).isEmpty();
    }

    @Test
    void budgetsAreFoundByTheirStatusScope() {
        assertThat(FLEET.budget("global")).get().extracting(Budget::monthlyAmount)
                .isEqualTo(new BigDecimal("2500000.00"));
        assertThat(FLEET.budget("region:us-east")).isEmpty();
    }

    @Test
    void anEmptyRegistryServesNobody() {
        assertThat(FleetSnapshot.EMPTY.servingRegions("us-east")).isEmpty();
        assertThat(FleetSnapshot.EMPTY.price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, T0)).isEmpty();
    }
}
