package dev.meridian.scheduler.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.routing.RoutingWeights;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTablesTest {

    @Test
    void aClientRegionTheRegistryNoLongerKnowsIsServedByNobody() {
        RouteTables tables = new RouteTables();
        tables.update(empty("eu-west"));
        tables.update(empty("eu-gone"));

        tables.retainOnly(Set.of("eu-west"));

        assertThat(tables.table("eu-west")).isPresent();
        assertThat(tables.table("eu-gone")).isEmpty();
    }

    private static RoutingWeights empty(String client) {
        return new RoutingWeights(client, 1, Instant.parse("2026-11-27T12:00:00Z"), false, List.of(), List.of());
    }
}
