package dev.meridian.cost.api;

import dev.meridian.cost.config.CostConfig;
import dev.meridian.service.registry.RegistryView;
import dev.meridian.policy.cost.BudgetMonth;
import dev.meridian.service.problem.InvalidParameterException;
import dev.meridian.registry.config.NodePool;
import jakarta.annotation.security.PermitAll;
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
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Allocation: spend by period and any combination of region and tags, as JSON or CSV.
 *
 * <p>Who may call: anyone who reaches the port ({@code @PermitAll}). The cost service verifies no token yet; its
 * spend is per region and is meant to get the region-scoped roles the audit API has (services/cost/README.md).
 */
@PermitAll
@Path("/v1/costs")
public class CostsResource {

    public static final String TEXT_CSV = "text/csv";

    private final CostStoreReader stores;
    private final RegistryView registry;
    private final CostConfig config;
    private final Clock clock = Clock.systemUTC();

    CostsResource(CostStoreReader stores, RegistryView registry, CostConfig config) {
        this.stores = stores;
        this.registry = registry;
        this.config = config;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
    @Operation(summary = "Spend, idle cost and spot savings per period and group (OpenCost-style allocation)")
    @APIResponse(responseCode = "200", description = "CostReport as JSON, or CSV with format=csv / Accept: text/csv",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CostReport.class)))
    @APIResponse(responseCode = "400", description = "Unknown groupBy key or step, from after to, window over 13 "
            + "months, unreadable time (problem+json)")
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
        CostStoreReader.Lines lines = stores.lines(query.from(), query.to());
        CostReport report = CostReport.of(query, config.budget().zone(), lines.spend(), lines.idle(),
                lines.spotSavings());
        return csv ? Response.ok(report.toCsv(), TEXT_CSV + "; charset=UTF-8").build()
                : Response.ok(report, MediaType.APPLICATION_JSON).build();
    }
}
