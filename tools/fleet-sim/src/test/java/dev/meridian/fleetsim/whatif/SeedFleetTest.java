package dev.meridian.fleetsim.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.Price;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-code seed must say what the registry's seed SQL says; the SQL is on the class path via libs/registry. */
class SeedFleetTest {

    private static String sql;
    private final FleetSnapshot fleet = SeedFleet.snapshot();

    @BeforeAll
    static void readSeedSql() throws IOException {
        try (InputStream in = SeedFleetTest.class.getResourceAsStream("/db/seed/V1__seed_fleet.sql")) {
            assertThat(in).as("the registry seed on the class path").isNotNull();
            // compare without layout: the SQL aligns its columns with spaces
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        }
    }

    @Test
    void regionsZonesAndPremiumsAreTheSeeds() {
        for (SeedFleet.SeedRegion region : SeedFleet.REGIONS) {
            assertThat(sql).contains("('" + region.name() + "', '" + region.zone() + "', '" + region.displayName()
                    + "')");
            assertThat(sql).containsPattern("\\('" + region.name() + "', " + region.premium() + "(::numeric)?\\)");
        }
        assertThat(fleet.regions()).hasSize(5);
    }

    @Test
    void typesAndPricesAreTheSeeds() {
        for (SeedFleet.SeedType type : SeedFleet.TYPES) {
            assertThat(sql).containsPattern("\\('" + type.instanceType().replace(".", "\\.") + "', "
                    + type.onDemand() + "(::numeric)?, " + type.spotFactor() + "(::numeric)?\\)");
        }
        // round(16.2880 × 1.1000 × 0.3500, 4) = round(6.27088, 4) = 6.2709
        Price euWestSpot = fleet.price("eu-west", "g5.48xlarge", CapacityType.SPOT,
                Instant.parse("2026-11-16T18:00:00Z")).orElseThrow();
        assertThat(euWestSpot.hourlyPrice()).isEqualByComparingTo(new BigDecimal("6.2709"));
        // 7 types × 5 regions × 2 capacity types, less g5.12xlarge outside us-east (4 regions × 2)
        assertThat(fleet.prices()).hasSize(7 * 5 * 2 - 8);
    }

    @Test
    void poolsBudgetsAndTheOverrideAreTheSeeds() {
        assertThat(sql).contains("'gpu-core', 'CORE_GPU', 2, 16, 2, ARRAY['g5.48xlarge', 'p4d.24xlarge', "
                + "'p5.48xlarge'], 'ON_DEMAND', false, 'CRITICAL'");
        assertThat(sql).contains("'cpu-edge', 'EDGE_CPU', 3, 24, 1, ARRAY['c7i.2xlarge', 'c7i.4xlarge', "
                + "'c7i.8xlarge'], 'ON_DEMAND', false, 'NORMAL'");
        assertThat(sql).contains("'us-east', 'gpu-batch', 'CORE_GPU', 0, 8, 0, ARRAY['g5.12xlarge', 'g5.48xlarge'], "
                + "'SPOT', true, 'LOW'");
        NodePool core = fleet.pool("eu-central", "gpu-core").orElseThrow();
        assertThat(core.minSize()).isEqualTo(2);
        assertThat(core.warmSize()).isEqualTo(2);
        assertThat(fleet.pools()).hasSize(11);

        SeedFleet.BUDGETS.forEach((scope, amount) -> {
            String[] parts = scope.split(":");
            String row = parts.length == 1 ? "('GLOBAL', NULL, NULL, NULL, " + amount
                    : parts[0].equals("region") ? "('REGION', '" + parts[1] + "', NULL, NULL, " + amount
                    : "('TAG', NULL, '" + parts[0] + "', '" + parts[1] + "', " + amount;
            assertThat(sql).contains(row);
        });
        assertThat(sql).contains("VALUES ('us-east', 'gpu-batch', 90.00, 75.00, 20.00, 6, 600)");
        assertThat(fleet.policyOverride("us-east", "gpu-batch").orElseThrow().sustainWindows()).hasValue(6);
    }
}
