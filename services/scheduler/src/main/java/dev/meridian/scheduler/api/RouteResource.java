package dev.meridian.scheduler.api;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.service.problem.InvalidParameterException;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.scheduler.routing.RouteTables;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a serving region, then a node in it, by the published weights: O(1) per request (alias method).
 *
 * <p>Who may call: any client or proxy that reaches the port ({@code @PermitAll}); the scheduler verifies no token
 * yet, and a route reveals no more than the published weights (services/scheduler/README.md).
 */
@PermitAll
@Path("/v1/route")
@Produces(MediaType.APPLICATION_JSON)
public class RouteResource {

    private final RouteTables tables;

    public RouteResource(RouteTables tables) {
        this.tables = tables;
    }

    @GET
    public RouteTable.Route route(@QueryParam("clientRegion") String clientRegion, @QueryParam("tier") String tier) {
        if (clientRegion == null || clientRegion.isBlank()) {
            throw new InvalidParameterException("clientRegion", "clientRegion is required");
        }
        RouteTable table = tables.table(clientRegion).orElseThrow(() -> new RoutingException(
                RoutingException.Kind.UNKNOWN_CLIENT_REGION, "no weights are published for client region "
                        + clientRegion));
        Tier wanted = parseTier(tier);
        RouteTable.Pick pick = table.pick(wanted, ThreadLocalRandom.current());
        if (pick instanceof RouteTable.Picked picked) {
            return picked.route();
        }
        RouteTable.NoneEligible none = ((RouteTable.Refused) pick).none();
        throw new RoutingException(RoutingException.Kind.NONE_ELIGIBLE, "weights version " + none.version()
                + " for " + clientRegion + " " + wanted + ": " + none.reason());
    }

    /** A bad tier is the caller's mistake (400), not an unknown resource (JAX-RS would answer 404). */
    private static Tier parseTier(String tier) {
        if (tier == null || tier.isBlank()) {
            return Tier.CORE_GPU;
        }
        try {
            return Tier.valueOf(tier);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("tier", "tier must be one of " + java.util.Arrays.toString(Tier.values())
                    + ", was " + tier);
        }
    }
}
