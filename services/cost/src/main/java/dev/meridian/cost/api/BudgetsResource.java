package dev.meridian.cost.api;

import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.service.registry.RegistryView;
import dev.meridian.registry.config.Budget;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Where every budget stands this month: budget, spent, forecast, state and thresholds crossed.
 *
 * <p>Who may call: anyone who reaches the port ({@code @PermitAll}); the cost service verifies no token yet
 * (services/cost/README.md).
 */
@PermitAll
@Path("/v1/budgets")
@Produces(MediaType.APPLICATION_JSON)
public class BudgetsResource {

    private final CostStoreReader stores;
    private final RegistryView registry;

    BudgetsResource(CostStoreReader stores, RegistryView registry) {
        this.stores = stores;
        this.registry = registry;
    }

    @GET
    @Operation(summary = "Status of every budget of the registry (evaluated at least once)")
    @APIResponse(responseCode = "200", description = "BudgetStatus list, by scope")
    @APIResponse(responseCode = "503", description = "State stores are restoring (problem+json)")
    public List<BudgetStatus> budgets() {
        List<BudgetStatus> statuses = new ArrayList<>();
        for (Budget budget : registry.current().budgets()) {
            stores.status(budget.scope()).ifPresent(statuses::add);
        }
        return statuses;
    }

    @GET
    @Path("/{scope}")
    @Operation(summary = "Status of one budget scope: global, region:<region> or <tag>:<value>")
    @APIResponse(responseCode = "200", description = "The scope's BudgetStatus")
    @APIResponse(responseCode = "404", description = "No budget for this scope, or not evaluated yet (problem+json)")
    public BudgetStatus budget(@PathParam("scope") String scope) {
        if (registry.current().budget(scope).isEmpty()) {
            throw new NotFoundException("no budget for scope " + scope);
        }
        return stores.status(scope).orElseThrow(() -> new NotFoundException("budget " + scope
                + " has not been evaluated yet"));
    }
}
