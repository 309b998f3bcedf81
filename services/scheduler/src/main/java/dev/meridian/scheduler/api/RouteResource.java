package dev.meridian.scheduler.api;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.service.problem.InvalidParameterException;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.scheduler.routing.RouteTables;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a serving region, then a node in it, by the published weights: O(1) per request (alias method).
 *
 * <p>Who may call: a verified token of a reader ({@link Roles#VIEWER}, {@link Roles#OPERATOR}, {@link Roles#ADMIN};
 * none: 401, another role: 403) whose regions include the {@code clientRegion} asked for (else 403 problem+json,
 * before the table is looked up). The route may lead to a serving region outside it, as residency allows.
 */
@Path("/v1/route")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class RouteResource {

    private final RouteTables tables;
    private final Caller caller;

    public RouteResource(RouteTables tables, Caller caller) {
        this.tables = tables;
        this.caller = caller;
    }

    @GET
    public RouteTable.Route route(@QueryParam("clientRegion") String clientRegion, @QueryParam("tier") String tier) {
        if (clientRegion == null || clientRegion.isBlank()) {
            throw new InvalidParameterException("clientRegion", "clientRegion is required");
        }
        caller.requireRegion(clientRegion);
        RouteTable table = tables.table(clientRegion).orElseThrow(() -> new RoutingException(
                RoutingException.Kind.UNKNOWN_CLIENT_REGION, "no weights are published for client region "
                        + clientRegion));
        Tier wanted = parseTier(tier);
        RouteTable.Pick pick = table.pick(wanted, ThreadLocalRandom.current());
        if (pick instanceof RouteTable.Picked picked) {
            return VisibleWeights.of(picked.route(), caller);
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
