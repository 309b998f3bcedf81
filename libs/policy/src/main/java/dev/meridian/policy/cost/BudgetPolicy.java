package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.AlertBasis;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Budget state, forecast and alerts of one scope.
 *
 * <p>The basis is the larger of spend so far and the month-end forecast, the forecast only once the observation
 * period has passed: before that a day's spike extrapolated over a month would trip the gate. States rise as soon as
 * the basis reaches a threshold and fall only once it is {@code hysteresisPoints} or more below it, so a basis
 * wandering less than that around a threshold changes the state once. Decisions compare exact decimals
 * ({@code basis × 100} against {@code threshold × budget}); the percent in the status is for display.
 */
public record BudgetPolicy(BudgetSettings settings) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public BudgetPolicy {
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * Month-end forecast: {@code spent + spent / elapsed × left}, i.e. the month-to-date burn rate carried to the end,
     * rounded once per {@link Money}; empty before the observation period has passed.
     */
    public Optional<BigDecimal> forecast(BigDecimal spent, Instant now, BudgetMonth month) {
        Duration elapsed = Duration.between(month.start(), now);
        if (elapsed.compareTo(settings.observationPeriod(month)) < 0 || elapsed.isZero()) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, month.end());
        if (left.isNegative() || left.isZero()) {
            return Optional.of(spent.setScale(Math.max(spent.scale(), Money.SCALE), Money.ROUNDING));
        }
        BigDecimal extra = spent.multiply(BigDecimal.valueOf(left.toNanos()))
                .divide(BigDecimal.valueOf(elapsed.toNanos()), Money.SCALE, Money.ROUNDING);
        return Optional.of(spent.add(extra));
    }

    /**
     * @param previous the scope's last track, or null on its first evaluation
     * @param spent    the scope's spend in {@code now}'s budget month, in the budget's currency
     *                 ({@link SpendRollup#total})
     */
    public BudgetEvaluation evaluate(BudgetTrack previous, Budget budget, BigDecimal spent, Instant now) {
        String scope = budget.scope().scope();
        if (previous != null && !previous.scope().equals(scope)) {
            throw new IllegalArgumentException("track of " + previous.scope() + " evaluated for " + scope);
        }
        BudgetMonth month = BudgetMonth.of(now, settings.zone());
        BudgetTrack current = previous != null && previous.month().equals(month.label())
                ? previous
                : BudgetTrack.fresh(scope, month.label());
        Optional<BigDecimal> forecast = forecast(spent, now, month);
        BigDecimal basis = forecast.filter(f -> f.compareTo(spent) > 0).orElse(spent);
        BigDecimal amount = budget.monthlyAmount();
        BudgetState state = nextState(current.state(), basis, amount);

        List<Integer> raised = new ArrayList<>(current.raised());
        List<Integer> newlyRaised = new ArrayList<>();
        List<AlertBasis> bases = new ArrayList<>();
        for (int threshold : settings.alertThresholds()) {
            if (raised.contains(threshold)) {
                continue;
            }
            if (reaches(spent, threshold, amount)) {
                bases.add(AlertBasis.ACTUAL);
            } else if (forecast.isPresent() && reaches(forecast.get(), threshold, amount)) {
                bases.add(AlertBasis.FORECAST);
            } else {
                continue;
            }
            raised.add(threshold);
            newlyRaised.add(threshold);
        }
        raised.sort(null);

        BudgetTrack track = new BudgetTrack(scope, month.label(), state, raised);
        BudgetStatus status = new BudgetStatus(scope, month.label(), amount, spent, forecast.orElse(null),
                budget.currency(), state, Money.percent(basis, amount), raised, now);
        List<BudgetAlert> alerts = new ArrayList<>();
        for (int i = 0; i < newlyRaised.size(); i++) {
            int threshold = newlyRaised.get(i);
            alerts.add(new BudgetAlert(BudgetAlert.idFor(scope, month.label(), threshold), scope, month.label(),
                    threshold, bases.get(i), state, spent, amount, budget.currency(), now));
        }
        boolean changed = previous == null || !previous.month().equals(track.month())
                || previous.state() != track.state() || !previous.raised().equals(track.raised());
        return new BudgetEvaluation(track, status, changed, alerts);
    }

    /** The highest state the basis holds: reached for states above the current one, not yet left for the others. */
    BudgetState nextState(BudgetState current, BigDecimal basis, BigDecimal budget) {
        BudgetState[] bySeverity = {BudgetState.EXCEEDED, BudgetState.CRITICAL, BudgetState.WARN};
        for (BudgetState candidate : bySeverity) {
            int threshold = threshold(candidate);
            boolean holds = candidate.compareTo(current) > 0
                    ? reaches(basis, threshold, budget)
                    : basis.multiply(HUNDRED).compareTo(BigDecimal.valueOf(threshold - settings.hysteresisPoints())
                            .multiply(budget)) > 0;
            if (holds) {
                return candidate;
            }
        }
        return BudgetState.OK;
    }

    private int threshold(BudgetState state) {
        return switch (state) {
            case WARN -> settings.warnAt();
            case CRITICAL -> settings.criticalAt();
            case EXCEEDED -> settings.exceededAt();
            case OK -> 0;
        };
    }

    private static boolean reaches(BigDecimal value, int percent, BigDecimal budget) {
        return value.multiply(HUNDRED).compareTo(BigDecimal.valueOf(percent).multiply(budget)) >= 0;
    }
}
