package dev.meridian.scheduler.api;

import dev.meridian.scheduler.config.SchedulerConfig;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.scheduler.routing.RouteTables;
import jakarta.annotation.security.PermitAll;
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
 * <p>Who may call: the Envoy proxies, and anyone else who reaches the port ({@code @PermitAll}); the scheduler
 * verifies no token yet (services/scheduler/README.md).
 */
@PermitAll
@Path("/v3/discovery:endpoints")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EnvoyEdsResource {

    private final RouteTables tables;
    private final EndpointAddresses addresses;
    private final int port;

    public EnvoyEdsResource(RouteTables tables, SchedulerConfig config) {
        this.tables = tables;
        this.addresses = new EndpointAddresses(config.eds().nodeFormat(), config.eds().gatewayFormat(),
                config.eds().resolve() ? HostResolver.dns() : HostResolver.asIs());
        this.port = config.eds().port();
    }

    @POST
    public EnvoyEds.DiscoveryResponse endpoints(EnvoyEds.DiscoveryRequest request) {
        List<EnvoyEds.ClusterLoadAssignment> resources = new ArrayList<>();
        StringBuilder version = new StringBuilder();
        List<String> names = request == null || request.resourceNames() == null ? List.of() : request.resourceNames();
        for (String name : names) {
            Optional<EnvoyEds.ClusterName> cluster = EnvoyEds.ClusterName.parse(name);
            Optional<RouteTable> table = cluster.flatMap(c -> tables.table(c.clientRegion()));
            if (table.isEmpty()) {
                continue;
            }
            resources.add(EnvoyEds.assignment(cluster.get(), table.get().weights(), addresses, port));
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
