package dev.meridian.scheduler.api;

import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.scheduler.routing.RouteTables;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The current weights table of a client region, as last published.
 *
 * <p>Who may call: a verified token of a reader ({@link Roles#VIEWER}, {@link Roles#OPERATOR}, {@link Roles#ADMIN};
 * none: 401, another role: 403) whose regions include the client region named in the path (else 403 problem+json,
 * before the table is looked up). The table may name serving regions outside it, as residency allows.
 */
@Path("/v1/weights")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class WeightsResource {

    private final RouteTables tables;
    private final Caller caller;

    public WeightsResource(RouteTables tables, Caller caller) {
        this.tables = tables;
        this.caller = caller;
    }

    @GET
    @Path("/{clientRegion}")
    public RoutingWeights weights(@PathParam("clientRegion") String clientRegion) {
        caller.requireRegion(clientRegion);
        return tables.table(clientRegion).map(RouteTable::weights).map(weights -> VisibleWeights.of(weights, caller))
                .orElseThrow(() -> new RoutingException(RoutingException.Kind.UNKNOWN_CLIENT_REGION,
                        "no weights are published for client region " + clientRegion));
    }
}
