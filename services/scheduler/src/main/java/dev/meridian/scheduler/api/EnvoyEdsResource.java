package dev.meridian.scheduler.api;

import dev.meridian.scheduler.config.SchedulerConfig;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.scheduler.routing.RouteTables;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Envoy REST-JSON EDS: Envoy polls this with the cluster names it wants (see the README for its config).
 *
 * <p>Who may call: Envoy proxies (and people) with a verified token of a reader ({@link Roles#VIEWER},
 * {@link Roles#OPERATOR}, {@link Roles#ADMIN}; none: 401, another role: 403), sent as an {@code Authorization: Bearer}
 * header, whose regions include the client region of every cluster named in the request
 * ({@code <clientRegion>/<TIER>}): one cluster of another region and the whole request is refused (403
 * problem+json), before any table is looked up.
 */
@Path("/v3/discovery:endpoints")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class EnvoyEdsResource {

    private final RouteTables tables;
    private final Caller caller;
    private final EndpointAddresses addresses;
    private final int port;

    public EnvoyEdsResource(RouteTables tables, Caller caller, SchedulerConfig config) {
        this.tables = tables;
        this.caller = caller;
        this.addresses = new EndpointAddresses(config.eds().nodeFormat(), config.eds().gatewayFormat(),
                config.eds().resolve() ? HostResolver.dns() : HostResolver.asIs());
        this.port = config.eds().port();
    }

    @POST
    public EnvoyEds.DiscoveryResponse endpoints(EnvoyEds.DiscoveryRequest request) {
        List<EnvoyEds.ClusterLoadAssignment> resources = new ArrayList<>();
        StringBuilder version = new StringBuilder();
        List<String> names = request == null || request.resourceNames() == null ? List.of() : request.resourceNames();
        // All or nothing: a cluster of a region the caller may not see refuses the request, whatever else it asks for.
        // A name that is not <clientRegion>/<TIER> names no region and is answered with nothing, as before.
        for (String name : names) {
            EnvoyEds.ClusterName.parse(name).ifPresent(cluster -> caller.requireRegion(cluster.clientRegion()));
        }
        for (String name : names) {
            Optional<EnvoyEds.ClusterName> cluster = EnvoyEds.ClusterName.parse(name);
            Optional<RouteTable> table = cluster.flatMap(c -> tables.table(c.clientRegion()));
            if (table.isEmpty()) {
                continue;
            }
            // Nodes of regions outside the token are not named: their regions are reached through the gateway.
            resources.add(EnvoyEds.assignment(cluster.get(), VisibleWeights.of(table.get().weights(), caller),
                    addresses, port));
            // One version for the whole answer: the weights versions of the clusters it holds.
            version.append(version.length() == 0 ? "" : ",").append(name).append('=')
                    .append(table.get().weights().version());
        }
        if (resources.isEmpty()) {
            throw new RoutingException(RoutingException.Kind.UNKNOWN_CLIENT_REGION,
                    "no weights are published for the clusters " + names + " (names are <clientRegion>/<TIER>)");
        }
        return new EnvoyEds.DiscoveryResponse(version.toString(), resources, EnvoyEds.TYPE_URL);
    }
}
