package dev.meridian.scaler.api;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.policy.scaling.OperatorHolds;
import dev.meridian.registry.config.NodePool;
import dev.meridian.scaler.config.ScalerConfig;
import dev.meridian.scaler.streams.ScalerStores;
import dev.meridian.service.registry.RegistryView;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The pools and nodes this region's scaler scales, with what operators' actions hold on them: what an operator
 * looks at before acting. Only the caller's regions, in the query; a region named outside the token is 403.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "jwt")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class PoolsResource {

    /** A pool: its registry bounds, its present nodes and its holds. */
    public record PoolView(String region, String pool, String tier, int minNodes, int maxNodes, int warmNodes,
            List<String> instanceTypes, String capacityType, int nodes, OperatorHolds holds) {
    }

    /** A node of a pool, and whether it is out of routing (cordoned or draining by an operator) or draining. */
    public record NodeView(String nodeId, String region, String pool, String state, boolean cordoned,
            boolean draining) {
    }

    private final Caller caller;
    private final RegistryView registry;
    private final ScalerConfig config;
    private final ScalerStores stores;

    PoolsResource(Caller caller, RegistryView registry, ScalerConfig config, ScalerStores stores) {
        this.caller = caller;
        this.registry = registry;
        this.config = config;
        this.stores = stores;
    }

    @GET
    @Path("/pools")
    @Operation(summary = "Pools this scaler scales, of the caller's regions")
    public List<PoolView> pools(@QueryParam("region") String region) {
        return scaledPools(region).stream()
                .map(pool -> new PoolView(pool.region(), pool.name(), pool.tier().name(), pool.minSize(),
                        pool.maxSize(), pool.warmSize(), pool.instanceTypes(), pool.capacityType().name(),
                        stores.nodeIds(pool.region(), pool.name()).size(), stores.holds(pool.region(), pool.name())))
                .toList();
    }

    @GET
    @Path("/nodes")
    @Operation(summary = "Nodes of the caller's regions' pools (optionally one region or pool)")
    public List<NodeView> nodes(@QueryParam("region") String region, @QueryParam("pool") String pool) {
        List<NodeView> nodes = new ArrayList<>();
        for (NodePool scaled : scaledPools(region)) {
            if (pool != null && !pool.equals(scaled.name())) {
                continue;
            }
            Set<String> cordoned = stores.holds(scaled.region(), scaled.name()).cordoned();
            Set<String> draining = stores.draining(scaled.region(), scaled.name());
            for (FleetNode node : stores.nodes(scaled.region(), scaled.name())) {
                nodes.add(new NodeView(node.nodeId(), node.region(), node.pool(), node.state().name(),
                        cordoned.contains(node.nodeId()), draining.contains(node.nodeId())));
            }
        }
        nodes.sort(Comparator.comparing(NodeView::region).thenComparing(NodeView::pool)
                .thenComparing(NodeView::nodeId));
        return nodes;
    }

    private List<NodePool> scaledPools(String region) {
        if (region != null) {
            caller.requireRegion(region);
        }
        return registry.current().pools().stream()
                .filter(pool -> config.homeRegions().contains(pool.region()) && caller.maySee(pool.region()))
                .filter(pool -> region == null || region.equals(pool.region()))
                .sorted(Comparator.comparing(NodePool::region).thenComparing(NodePool::name))
                .toList();
    }
}
