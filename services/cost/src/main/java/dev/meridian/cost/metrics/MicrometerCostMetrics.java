package dev.meridian.cost.metrics;

import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.cost.streams.CostMetrics;
import dev.meridian.policy.cost.AccrualGap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The service's own meters, all {@code meridian_cost_*} in /q/metrics (the README lists them). */
@ApplicationScoped
public class MicrometerCostMetrics implements CostMetrics {

    private final MeterRegistry registry;
    private final Counter spendPublished;
    private final Counter statusPublished;
    private final Counter unusablePrices;
    private final Timer tickCpu;
    private final Timer evaluation;

    MicrometerCostMetrics(MeterRegistry registry) {
        this.registry = registry;
        spendPublished = Counter.builder("meridian.cost.spend.published")
                .description("SpendAggregate records published (one per changed region, hour and tag set)")
                .register(registry);
        statusPublished = Counter.builder("meridian.cost.budget.status.published")
                .description("BudgetStatus records published on a change of state, month or crossed thresholds")
                .register(registry);
        unusablePrices = Counter.builder("meridian.cost.prices.unusable")
                .description("registry price rows ignored: another currency or an unknown region")
                .register(registry);
        tickCpu = Timer.builder("meridian.cost.accrual.tick.cpu")
                .description("CPU time of one accrual tick over every home region's nodes").register(registry);
        evaluation = Timer.builder("meridian.cost.budget.evaluation")
                .description("time to evaluate every budget once").register(registry);
    }

    @Override
    public void inventoryApplied(String state) {
        registry.counter("meridian.cost.inventory.applied", "state", state).increment();
    }

    @Override
    public void spendPublished(int aggregates) {
        spendPublished.increment(aggregates);
    }

    @Override
    public void gap(AccrualGap gap) {
        registry.counter("meridian.cost.accrual.gap.seconds", "kind", gap.kind().name())
                .increment(Duration.between(gap.from(), gap.to()).toMillis() / 1000.0);
    }

    @Override
    public void accrualTick(Duration cpu) {
        tickCpu.record(cpu);
    }

    @Override
    public void budgetEvaluation(Duration took) {
        evaluation.record(took);
    }

    @Override
    public void statusPublished() {
        statusPublished.increment();
    }

    @Override
    public void alertRaised(BudgetAlert alert) {
        registry.counter("meridian.cost.alerts.raised", "threshold", Integer.toString(alert.thresholdPercent()),
                "basis", alert.basis().name()).increment();
    }

    @Override
    public void unusablePrice() {
        unusablePrices.increment();
    }
}
