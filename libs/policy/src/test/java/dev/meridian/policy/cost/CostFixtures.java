package dev.meridian.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.validation.Validated;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** A small us-east catalog with one price change, and node records. */
final class CostFixtures {

    static final String GPU = "g5.xlarge";
    static final String CPU = "c6i.large";
    static final Instant YEAR_START = Instant.parse("2026-01-01T00:00:00Z");
    /** On-demand g5.xlarge goes from 1.0060 to 1.2000 $/h here, mid-hour. */
    static final Instant PRICE_CHANGE = Instant.parse("2026-11-02T10:30:00Z");

    static final PriceCatalog CATALOG = PriceCatalog.of("USD", List.of(
            new PricePeriod(new PriceKey("us-east", GPU, CapacityType.ON_DEMAND), YEAR_START, PRICE_CHANGE,
                    new BigDecimal("1.0060"), "USD"),
            new PricePeriod(new PriceKey("us-east", GPU, CapacityType.ON_DEMAND), PRICE_CHANGE, null,
                    new BigDecimal("1.2000"), "USD"),
            new PricePeriod(new PriceKey("us-east", GPU, CapacityType.SPOT), YEAR_START, null,
                    new BigDecimal("0.3018"), "USD"),
            new PricePeriod(new PriceKey("us-east", CPU, CapacityType.ON_DEMAND), YEAR_START, null,
                    new BigDecimal("0.0850"), "USD")));

    private CostFixtures() {
    }

    static Instant at(String time) {
        return Instant.parse("2026-11-02T" + time + "Z");
    }

    static FleetNode node(String id, String pool, CapacityType capacity, NodeState state, Instant since) {
        return new FleetNode(id, "us-east", "us-east-1a", pool, Tier.CORE_GPU, GPU, capacity, state, since, since);
    }

    static void assertAllValid(Collection<? extends Validated> records) {
        for (Validated record : records) {
            assertThat(record.violations()).as(record.toString()).isEmpty();
        }
    }
}
