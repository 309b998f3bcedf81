package dev.meridian.scheduler.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Envoy's REST-JSON EDS (xDS v3) shapes, only the fields we set, and the mapping from a weights version.
 *
 * <p>A cluster is named {@code <clientRegion>/<TIER>}; its ClusterLoadAssignment has one locality per eligible
 * region weighted by the region weight, and, inside home regions, one endpoint per eligible node weighted by the
 * node weight. Other regions have no node weights here, so their locality holds one endpoint: the region's gateway.
 * Envoy weights are positive integers, so shares are scaled by {@link #SCALE} and zero weights are left out.
 *
 * <p>Endpoint addresses are IP addresses ({@link EndpointAddresses}): an EDS cluster does not resolve host names,
 * and one unresolvable name makes Envoy reject the whole update. So a node whose host does not resolve is left out;
 * a home region with no resolvable node falls back to its gateway, and a region whose gateway does not resolve
 * either is left out (its weight goes to the other eligible regions, never outside the residency).
 */
public final class EnvoyEds {

    public static final String TYPE_URL = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    /** Shares (sum 1) become integers out of a million: precise enough, far below uint32's limit. */
    static final int SCALE = 1_000_000;

    private EnvoyEds() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DiscoveryRequest(@JsonProperty("version_info") String versionInfo,
            @JsonProperty("resource_names") List<String> resourceNames,
            @JsonProperty("type_url") String typeUrl) {
    }

    public record DiscoveryResponse(@JsonProperty("version_info") String versionInfo,
            List<ClusterLoadAssignment> resources, @JsonProperty("type_url") String typeUrl) {
    }

    public record ClusterLoadAssignment(@JsonProperty("@type") String type,
            @JsonProperty("cluster_name") String clusterName, List<LocalityLbEndpoints> endpoints) {
    }

    public record LocalityLbEndpoints(Locality locality, @JsonProperty("load_balancing_weight") int weight,
            @JsonProperty("lb_endpoints") List<LbEndpoint> lbEndpoints) {
    }

    public record Locality(String region) {
    }

    public record LbEndpoint(Endpoint endpoint, @JsonProperty("load_balancing_weight") int weight) {
    }

    public record Endpoint(Address address) {
    }

    public record Address(@JsonProperty("socket_address") SocketAddress socketAddress) {
    }

    public record SocketAddress(String address, @JsonProperty("port_value") int portValue) {
    }

    /** The client region and tier a cluster name stands for; empty when it is not ours. */
    public record ClusterName(String clientRegion, Tier tier) {
        public static Optional<ClusterName> parse(String name) {
            int slash = name == null ? -1 : name.lastIndexOf('/');
            if (slash <= 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(new ClusterName(name.substring(0, slash), Tier.valueOf(name.substring(slash + 1))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return clientRegion + "/" + tier;
        }
    }

    /**
     * @param addresses where nodes and gateways are
     * @param port      the port of nodes and gateways
     */
    public static ClusterLoadAssignment assignment(ClusterName cluster, RoutingWeights weights,
            EndpointAddresses addresses, int port) {
        List<LocalityLbEndpoints> localities = new ArrayList<>();
        Optional<TierTable> table = weights.table(cluster.tier());
        for (RegionWeight region : table.map(TierTable::regions).orElse(List.of())) {
            int regionWeight = scaled(region.weight());
            if (regionWeight == 0) {
                continue;
            }
            List<LbEndpoint> endpoints = new ArrayList<>();
            for (NodeWeight node : table.get().nodes()) {
                int nodeWeight = scaled(node.weight());
                if (node.region().equals(region.region()) && nodeWeight > 0) {
                    addresses.node(node.nodeId(), node.region()).ifPresent(address ->
                            endpoints.add(new LbEndpoint(endpoint(address, port), nodeWeight)));
                }
            }
            if (endpoints.isEmpty()) {
                addresses.gateway(region.region()).ifPresent(address ->
                        endpoints.add(new LbEndpoint(endpoint(address, port), 1)));
            }
            if (endpoints.isEmpty()) {
                continue;
            }
            localities.add(new LocalityLbEndpoints(new Locality(region.region()), regionWeight, endpoints));
        }
        return new ClusterLoadAssignment(TYPE_URL, cluster.toString(), localities);
    }

    private static Endpoint endpoint(String address, int port) {
        return new Endpoint(new Address(new SocketAddress(address, port)));
    }

    private static int scaled(double share) {
        return (int) Math.round(share * SCALE);
    }
}
