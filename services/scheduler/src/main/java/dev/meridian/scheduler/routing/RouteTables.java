package dev.meridian.scheduler.routing;

import dev.meridian.contracts.routing.RoutingWeights;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The current version per client region, as the REST API serves it; written by the routing loop only. */
@ApplicationScoped
public class RouteTables {

    private final ConcurrentMap<String, RouteTable> byClient = new ConcurrentHashMap<>();

    /** Rebuilds the alias tables only for a new version: a heartbeat repeats the weights it already has. */
    public void update(RoutingWeights weights) {
        byClient.compute(weights.clientRegion(), (client, current) ->
                current != null && current.weights().version() == weights.version() && weights.heartbeat()
                        ? current : RouteTable.of(weights));
    }

    /** A client region the registry no longer knows is served by nobody (fail closed), not by its last table. */
    public void retainOnly(Set<String> clientRegions) {
        byClient.keySet().retainAll(clientRegions);
    }

    public Optional<RouteTable> table(String clientRegion) {
        return Optional.ofNullable(byClient.get(clientRegion));
    }
}
