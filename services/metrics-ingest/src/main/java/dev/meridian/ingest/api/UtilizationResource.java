package dev.meridian.ingest.api;

import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The latest closed window of a node or a pool, read from this instance's state stores. With several ingest
 * instances, a key lives on the instance that owns its partition; the others answer 404 for it. Who may call:
 * {@code viewer}, {@code operator} and {@code admin}, for the regions of the token: a pool of another region is 403,
 * a node of another region is 404 exactly like a node never seen, so node ids of other regions cannot be probed.
 */
@Path("/v1/utilization")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "jwt")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class UtilizationResource {

    private final KafkaStreams streams;
    private final Caller caller;

    UtilizationResource(KafkaStreams streams, Caller caller) {
        this.streams = streams;
        this.caller = caller;
    }

    @GET
    @Path("/nodes/{nodeId}")
    @Operation(summary = "Latest window result of one node")
    @APIResponse(responseCode = "200", description = "The node's latest NodeUtilization")
    @APIResponse(responseCode = "401", description = "No token, or one that is expired, unsigned or not for Meridian")
    @APIResponse(responseCode = "403", description = "The token's role is not viewer, operator or admin")
    @APIResponse(responseCode = "404",
            description = "No closed window for this node, or it is of a region the token does not name (problem+json)")
    @APIResponse(responseCode = "503", description = "State stores are restoring (problem+json)")
    public NodeUtilization node(@PathParam("nodeId") String nodeId) {
        NodeUtilization latest = this.<NodeUtilization>lookup(StateStores.INGEST_NODE_LATEST, nodeId);
        // Another region's node answers like an unknown one: the same 404, the same problem body.
        if (latest == null || !caller.maySee(latest.region())) {
            throw new NotFoundException("no closed window for node " + nodeId);
        }
        return latest;
    }

    @GET
    @Path("/pools/{region}/{pool}")
    @Operation(summary = "Latest window result of one pool")
    @APIResponse(responseCode = "200", description = "The pool's latest PoolUtilization")
    @APIResponse(responseCode = "401", description = "No token, or one that is expired, unsigned or not for Meridian")
    @APIResponse(responseCode = "403",
            description = "The token's role is not viewer, operator or admin, or it does not name the region (problem+json)")
    @APIResponse(responseCode = "404", description = "No closed window for this pool (problem+json)")
    @APIResponse(responseCode = "503", description = "State stores are restoring (problem+json)")
    public PoolUtilization pool(@PathParam("region") String region, @PathParam("pool") String pool) {
        caller.requireRegion(region);
        PoolUtilization latest = this.<PoolUtilization>lookup(StateStores.INGEST_POOL_LATEST, region + "/" + pool);
        if (latest == null) {
            throw new NotFoundException("no closed window for pool " + region + "/" + pool);
        }
        return latest;
    }

    /** Stores can be asked only while the streams thread is RUNNING; during a rebalance or restore: 503. */
    private <V> V lookup(String name, String key) {
        try {
            ReadOnlyKeyValueStore<String, V> store =
                    streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
            return store.get(key);
        } catch (InvalidStateStoreException e) {
            throw new ServiceUnavailableException("state store " + name + " is not ready: " + e.getMessage());
        }
    }
}
