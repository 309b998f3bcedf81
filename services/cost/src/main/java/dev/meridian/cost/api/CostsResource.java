package dev.meridian.cost.api;

import dev.meridian.cost.config.CostConfig;
import dev.meridian.service.registry.RegistryView;
import dev.meridian.policy.cost.BudgetMonth;
import dev.meridian.service.problem.InvalidParameterException;
import dev.meridian.registry.config.NodePool;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Allocation: spend by period and any combination of region and tags, as JSON or CSV.
 *
 * <p>Who may call: a verified token of a reader ({@link Roles#VIEWER}, {@link Roles#OPERATOR}, {@link Roles#ADMIN};
 * none: 401, another role: 403). The answer holds the spend of the token's regions only: the store is read for those
 * regions, so no other region's line enters a row or a total; a token of every region ({@code "*"}) reads all, a token
 * of no region is refused (403).
 */
@Path("/v1/costs")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class CostsResource {

    public static final String TEXT_CSV = "text/csv";

    private final CostStoreReader stores;
    private final RegistryView registry;
    private final CostConfig config;
    private final Caller caller;
    private final Clock clock = Clock.systemUTC();

    CostsResource(CostStoreReader stores, RegistryView registry, CostConfig config, Caller caller) {
        this.stores = stores;
        this.registry = registry;
        this.config = config;
        this.caller = caller;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
    @Operation(summary = "Spend, idle cost and spot savings per period and group (OpenCost-style allocation), of the"
            + " caller's regions")
    @APIResponse(responseCode = "200", description = "CostReport as JSON, or CSV with format=csv / Accept: text/csv",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CostReport.class)))
    @APIResponse(responseCode = "400", description = "Unknown groupBy key or step, from after to, window over 13 "
            + "months, unreadable time (problem+json)")
    @APIResponse(responseCode = "401", description = "No token, or one that is not valid (expired, another issuer or "
            + "audience, unsigned, untrusted key, bad signature)")
    @APIResponse(responseCode = "403", description = "The token's role may not read costs, or it names no region")
    @APIResponse(responseCode = "503", description = "State stores are restoring (problem+json)")
    public Response costs(
            @Parameter(description = "ISO-8601 instant or date, inclusive; default: start of the budget month")
            @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant or date, exclusive; default: now") @QueryParam("to") String to,
            @Parameter(description = "comma-separated: region, pool, tier, capacityType, task, team or any pool tag")
            @QueryParam("groupBy") String groupBy,
            @Parameter(description = "1h, 1d (default) or 1mo") @QueryParam("step") String step,
            @Parameter(description = "json (default) or csv") @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Instant now = clock.instant();
        Set<String> tagKeys = new HashSet<>();
        for (NodePool pool : registry.current().pools()) {
            tagKeys.addAll(pool.tags().keySet());
        }
        CostQuery query = CostQuery.parse(from, to, groupBy, step, tagKeys, now,
                BudgetMonth.of(now, config.budget().zone()).start(), config.budget().zone());
        boolean csv = format != null ? "csv".equalsIgnoreCase(format.strip())
                : accept != null && accept.contains(TEXT_CSV) && !accept.contains(MediaType.APPLICATION_JSON);
        if (format != null && !csv && !"json".equalsIgnoreCase(format.strip())) {
            throw new InvalidParameterException("format", "format must be json or csv, was " + format);
        }
        Optional<Set<String>> regions = caller.regionLimit();
        if (regions.isPresent() && regions.get().isEmpty()) {
            throw new ForbiddenException(caller.name() + " may read no region");
        }
        CostStoreReader.Lines lines = stores.lines(query.from(), query.to(), regions);
        CostReport report = CostReport.of(query, config.budget().zone(), lines.spend(), lines.idle(),
                lines.spotSavings());
        return csv ? Response.ok(report.toCsv(), TEXT_CSV + "; charset=UTF-8").build()
                : Response.ok(report, MediaType.APPLICATION_JSON).build();
    }
}
