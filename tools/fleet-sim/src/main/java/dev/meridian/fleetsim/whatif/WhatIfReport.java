package dev.meridian.fleetsim.whatif;

import dev.meridian.contracts.scaling.ScaleAction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The side-by-side table the what-if command prints: one column per policy set. */
public final class WhatIfReport {

    private static final int LABEL = 34;
    private static final int COLUMN = 20;

    private WhatIfReport() {
    }

    public static String render(Scenario scenario, List<PolicySet> policies, List<WhatIfResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("what-if: ").append(Durations.format(scenario.duration())).append(" of ")
                .append(scenario.fleet().regions().size()).append(" regions, ").append(scenario.fleet().pools().size())
                .append(" pools from ").append(scenario.start()).append('\n');
        out.append("traffic: ").append(scenario.trafficName()).append('\n');
        if (scenario.budgetUsedPercent() > 0) {
            out.append("budgets: month on track for ").append(percent(scenario.budgetUsedPercent()))
                    .append(" of every budget before the run\n");
        }
        out.append('\n');
        row(out, "", results, WhatIfResult::policy);
        row(out, "scale-out / target / scale-in", policies, p -> percent(p.scaling().scaleOutUtilization()) + " / "
                + percent(p.scaling().targetUtilization()) + " / " + percent(p.scaling().scaleInUtilization()));
        row(out, "overload (node-s at >= 95 %)", results, r -> String.format(Locale.ROOT, "%,.0f",
                r.overloadNodeSeconds()));
        row(out, "scale actions", results, r -> String.valueOf(r.scaleActions()));
        for (ScaleAction action : ScaleAction.values()) {
            if (results.stream().anyMatch(r -> r.actions(action) > 0)) {
                row(out, "  " + action, results, r -> String.valueOf(r.actions(action)));
            }
        }
        row(out, "spend", results, r -> money(r.spend()) + " " + r.currency());
        row(out, "budget (global, end of run)", results, r -> r.budgetState() + " "
                + String.format(Locale.ROOT, "%.1f %%", r.budgetPercent()));
        row(out, "worst budget state / alerts", results, r -> r.worstBudgetState() + " / " + r.budgetAlerts());
        row(out, "node-hours (peak nodes)", results, r -> String.format(Locale.ROOT, "%.1f (%d)",
                r.nodeSeconds() / 3600, r.peakNodes()));
        row(out, "GPU tokens dropped", results, r -> String.format(Locale.ROOT, "%.2f %%",
                r.demandTokens() > 0 ? 100 * r.droppedTokens() / r.demandTokens() : 0));
        row(out, "routing versions", results, r -> String.valueOf(r.weightVersions()));
        row(out, "spot interruptions", results, r -> String.valueOf(r.interruptions()));
        row(out, "replayed in", results, r -> String.format(Locale.ROOT, "%.2f s", r.elapsed().toNanos() / 1e9));
        return out.toString();
    }

    private static <T> void row(StringBuilder out, String label, List<T> values, Function<T, String> cell) {
        List<String> cells = new ArrayList<>();
        values.forEach(v -> cells.add(cell.apply(v)));
        out.append(String.format(Locale.ROOT, "%-" + LABEL + "s", label));
        for (String c : cells) {
            out.append(String.format(Locale.ROOT, "%" + COLUMN + "s", c));
        }
        out.append('\n');
    }

    /** 80 %, 72.5 %. */
    static String percent(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + " %";
    }

    private static String money(BigDecimal amount) {
        return String.format(Locale.ROOT, "%,.2f", amount.setScale(2, RoundingMode.HALF_UP));
    }
}
