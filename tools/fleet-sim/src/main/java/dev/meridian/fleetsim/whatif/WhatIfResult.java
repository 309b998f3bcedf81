package dev.meridian.fleetsim.whatif;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one policy set did over a scenario.
 *
 * @param overloadNodeSeconds node-seconds at a load of 95 % or more
 * @param actions             scale commands by action (DEFERRED: growth the budget gate held back)
 * @param spend               accrued by the cost ledger over the run
 * @param budgetState         the global budget's state at the end (the governing state when there is no global one)
 * @param budgetPercent       the global budget's basis in percent of it at the end
 * @param worstBudgetState    the most severe state any budget reached during the run
 * @param budgetAlerts        alerts raised during the run
 * @param weightVersions      routing versions published (heartbeats not counted)
 * @param nodeSeconds         node-seconds of every node that existed (serving, warm or draining)
 * @param peakNodes           the most nodes that existed at once
 * @param demandTokens        GPU-tier tokens the clients asked for
 * @param droppedTokens       GPU-tier tokens that found no node or gave up in a full queue
 * @param interruptions       spot interruption notices
 * @param commands            every scale command, in decision order
 * @param elapsed             wall-clock time the replay took
 */
public record WhatIfResult(String policy, double overloadNodeSeconds, Map<ScaleAction, Integer> actions,
        BigDecimal spend, String currency, BudgetState budgetState, double budgetPercent, BudgetState worstBudgetState,
        int budgetAlerts, long weightVersions, double nodeSeconds, int peakNodes, double demandTokens,
        double droppedTokens, int interruptions, List<ScaleCommand> commands, Duration elapsed) {

    public WhatIfResult {
        commands = List.copyOf(commands);
        actions = Map.copyOf(actions.isEmpty() ? new EnumMap<>(ScaleAction.class) : new EnumMap<>(actions));
    }

    public int actions(ScaleAction action) {
        return actions.getOrDefault(action, 0);
    }

    /** Every command but DEFERRED. */
    public int scaleActions() {
        return actions.entrySet().stream().filter(e -> e.getKey() != ScaleAction.DEFERRED)
                .mapToInt(Map.Entry::getValue).sum();
    }
}
