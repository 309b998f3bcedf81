package dev.meridian.scheduler.api;

import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.scheduler.routing.RouteTables;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The current weights table of a client region, as last published.
 *
 * <p>Who may call: anyone who reaches the port ({@code @PermitAll}); the same table is on the compacted weights
 * topic, and the scheduler verifies no token yet (services/scheduler/README.md).
 */
@PermitAll
@Path("/v1/weights")
@Produces(MediaType.APPLICATION_JSON)
public class WeightsResource {

    private final RouteTables tables;

    public WeightsResource(RouteTables tables) {
        this.tables = tables;
    }

    @GET
    @Path("/{clientRegion}")
    public RoutingWeights weights(@PathParam("clientRegion") String clientRegion) {
        return tables.table(clientRegion).map(RouteTable::weights)
                .orElseThrow(() -> new RoutingException(RoutingException.Kind.UNKNOWN_CLIENT_REGION,
                        "no weights are published for client region " + clientRegion));
    }
}
