package dev.meridian.cost.api;

import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.policy.cost.CostTags;
import dev.meridian.service.registry.RegistryView;
import dev.meridian.registry.config.Budget;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
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
 * <p>Who may call: a verified token of a reader ({@link Roles#VIEWER}, {@link Roles#OPERATOR}, {@link Roles#ADMIN};
 * none: 401, another role: 403), and it sees only the budgets of its regions: a token of every region ({@code "*"})
 * sees every scope; one limited to regions sees only the {@code region:<region>} scopes of those regions, since
 * {@code global} and tag scopes add up several regions' spend. A scope the caller may not see is answered exactly as a
 * scope without a budget (404), so its existence does not leak.
 */
@Path("/v1/budgets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class BudgetsResource {

    private static final String REGION_SCOPE = CostTags.REGION + ":";

    private final CostStoreReader stores;
    private final RegistryView registry;
    private final Caller caller;

    BudgetsResource(CostStoreReader stores, RegistryView registry, Caller caller) {
        this.stores = stores;
        this.registry = registry;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Status of every budget of the registry (evaluated at least once) the caller may see")
    @APIResponse(responseCode = "200", description = "BudgetStatus list, by scope: every scope for a token of every "
            + "region, else the region:<region> scopes of the token's regions")
    @APIResponse(responseCode = "401", description = "No token, or one that is not valid (expired, another issuer or "
            + "audience, unsigned, untrusted key, bad signature)")
    @APIResponse(responseCode = "403", description = "The token's role may not read budgets")
    @APIResponse(responseCode = "503", description = "State stores are restoring (problem+json)")
    public List<BudgetStatus> budgets() {
        List<BudgetStatus> statuses = new ArrayList<>();
        for (Budget budget : registry.current().budgets()) {
            if (maySee(budget.scope())) {
                stores.status(budget.scope()).ifPresent(statuses::add);
            }
        }
        return statuses;
    }

    @GET
    @Path("/{scope}")
    @Operation(summary = "Status of one budget scope: global, region:<region> or <tag>:<value>")
    @APIResponse(responseCode = "200", description = "The scope's BudgetStatus")
    @APIResponse(responseCode = "401", description = "No token, or one that is not valid (expired, another issuer or "
            + "audience, unsigned, untrusted key, bad signature)")
    @APIResponse(responseCode = "403", description = "The token's role may not read budgets")
    @APIResponse(responseCode = "404", description = "No budget for this scope, a scope the caller may not see (the "
            + "same answer), or not evaluated yet (problem+json)")
    public BudgetStatus budget(@PathParam("scope") String scope) {
        // A scope the caller may not see is answered as an unknown one, before the registry is asked.
        if (!maySee(scope) || registry.current().budget(scope).isEmpty()) {
            throw new NotFoundException("no budget for scope " + scope);
        }
        return stores.status(scope).orElseThrow(() -> new NotFoundException("budget " + scope
                + " has not been evaluated yet"));
    }

    /**
     * Every scope for a caller of every region; otherwise only {@code region:<r>} of one of its regions: global and
     * tag scopes sum the spend of several regions.
     */
    private boolean maySee(String scope) {
        if (caller.allRegions()) {
            return true;
        }
        return scope.startsWith(REGION_SCOPE) && caller.maySee(scope.substring(REGION_SCOPE.length()));
    }
}
