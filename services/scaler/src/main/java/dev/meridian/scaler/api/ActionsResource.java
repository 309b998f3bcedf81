package dev.meridian.scaler.api;

import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.validation.Violation;
import dev.meridian.registry.config.NodePool;
import dev.meridian.scaler.config.ScalerConfig;
import dev.meridian.scaler.messaging.ActionLedger;
import dev.meridian.scaler.messaging.ActionPublisher;
import dev.meridian.scaler.streams.ScalerStores;
import dev.meridian.service.problem.InvalidParameterException;
import dev.meridian.service.problem.Problem;
import dev.meridian.service.registry.RegistryView;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * Operators act on one pool or node of a region: the action is checked here (region of the token, pool and node
 * known, size within the pool's bounds, an end in the future), published to {@code meridian.operator.actions.v1}
 * with the operator from the token as its actor, and reported until the scaler's result comes back. Acting:
 * {@code operator}, {@code admin}; reading: {@code viewer} too. Another region's action is unknown (404) to a reader
 * of other regions.
 */
@Path("/v1/actions")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "jwt")
public class ActionsResource {

    private static final int MAX_LIMIT = 1_000;

    private final Caller caller;
    private final RegistryView registry;
    private final ScalerConfig config;
    private final ScalerStores stores;
    private final ActionPublisher publisher;
    private final ActionLedger ledger;
    private final Clock clock = Clock.systemUTC();

    ActionsResource(Caller caller, RegistryView registry, ScalerConfig config, ScalerStores stores,
            ActionPublisher publisher, ActionLedger ledger) {
        this.caller = caller;
        this.registry = registry;
        this.config = config;
        this.stores = stores;
        this.publisher = publisher;
        this.ledger = ledger;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Act on a pool or a node",
            description = "SCALE (nodes, until), PAUSE (until optional), RESUME, OVERRIDE (override, until) on a pool; "
                    + "CORDON, UNCORDON, DRAIN on a node. Answers once the action is on "
                    + "meridian.operator.actions.v1; the scaler's result follows at GET /v1/actions/{id}.")
    @APIResponse(responseCode = "202", description = "Published; PENDING until the scaler takes it up",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionView.class)))
    @APIResponse(responseCode = "400", description = "Invalid action, or a pool this region's scaler does not scale",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No token, or one that is expired, unsigned or not for Meridian")
    @APIResponse(responseCode = "403", description = "Not an operator or admin, or a region the token does not name")
    @APIResponse(responseCode = "404", description = "Unknown pool or node",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge; retry")
    public Response submit(ActionRequest request, UriInfo uri) {
        if (request == null || request.kind() == null || request.region() == null || request.pool() == null) {
            throw new ActionRefusedException(ActionRefusedException.Why.INVALID, "kind, region and pool are required");
        }
        caller.requireRegion(request.region());
        if (caller.name().equals("anonymous")) {
            throw new ActionRefusedException(ActionRefusedException.Why.INVALID,
                    "the token names nobody (no upn or sub): an action needs an actor");
        }
        OperatorAction action = new OperatorAction(UUID.randomUUID().toString(), request.kind(), request.region(),
                request.pool(), request.nodeId(), request.nodes(), request.until(), request.override(), caller.name(),
                request.reason(), clock.instant());
        List<Violation> violations = action.violations();
        if (!violations.isEmpty()) {
            throw new ActionRefusedException(ActionRefusedException.Why.INVALID,
                    violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
        }
        if (action.until() != null && action.until().isAfter(action.requestedAt().plus(config.actions().maxHold()))) {
            throw new ActionRefusedException(ActionRefusedException.Why.INVALID, "until " + action.until()
                    + " is further than meridian.scaler.actions.max-hold (" + config.actions().maxHold() + ") ahead");
        }
        checkAgainstFleet(action);
        publisher.publish(action);
        ledger.published(action);
        return Response.accepted(ActionView.of(new ActionLedger.Entry(action, java.util.Optional.empty())))
                .location(uri.getBaseUriBuilder().path("v1/actions").path(action.actionId()).build())
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/{actionId}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One action and what became of it")
    @APIResponse(responseCode = "200", description = "PENDING, APPLIED or REJECTED (with the reason)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionView.class)))
    @APIResponse(responseCode = "404", description = "No such action, or one of a region the token does not name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ActionView get(@PathParam("actionId") String actionId) {
        return ledger.find(actionId).filter(entry -> caller.maySee(entry.action().region())).map(ActionView::of)
                .orElseThrow(() -> new NotFoundException("no action " + actionId));
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Recent actions of the caller's regions, newest first")
    @APIResponse(responseCode = "200", description = "Actions with their status")
    @APIResponse(responseCode = "403", description = "A region the token does not name")
    public List<ActionView> list(@QueryParam("region") String region, @QueryParam("pool") String pool,
            @QueryParam("limit") Integer limit) {
        if (region != null) {
            caller.requireRegion(region);
        }
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw new InvalidParameterException("limit", "limit must be within 1.." + MAX_LIMIT + ", was " + max);
        }
        return ledger.newest(action -> caller.maySee(action.region())
                        && (region == null || region.equals(action.region()))
                        && (pool == null || pool.equals(action.pool())), max)
                .stream().map(ActionView::of).toList();
    }

    /** Refuses what the scaler of this region could never apply, before anything is published. */
    private void checkAgainstFleet(OperatorAction action) {
        if (!config.homeRegions().contains(action.region())) {
            throw new ActionRefusedException(ActionRefusedException.Why.NOT_HOME, "pools of " + action.region()
                    + " are scaled by that region's scaler, not this one (" + config.homeRegions() + ")");
        }
        NodePool pool = registry.current().pool(action.region(), action.pool())
                .orElseThrow(() -> new ActionRefusedException(ActionRefusedException.Why.UNKNOWN_POOL,
                        "no pool " + action.region() + "/" + action.pool() + " in the registry"));
        if (action.kind() == ActionKind.SCALE && (action.nodes() < pool.minSize() || action.nodes() > pool.maxSize())) {
            throw new ActionRefusedException(ActionRefusedException.Why.INVALID, "nodes " + action.nodes()
                    + " is outside the pool's bounds " + pool.minSize() + ".." + pool.maxSize());
        }
        // Only the instance that owns the pool knows its nodes; on another, the topology's check answers (REJECTED).
        if ((action.kind() == ActionKind.CORDON || action.kind() == ActionKind.DRAIN)
                && stores.owns(action.region(), action.pool())
                && !stores.nodeIds(action.region(), action.pool()).contains(action.nodeId())) {
            throw new ActionRefusedException(ActionRefusedException.Why.UNKNOWN_NODE, "no node " + action.nodeId()
                    + " in pool " + action.region() + "/" + action.pool());
        }
    }
}
