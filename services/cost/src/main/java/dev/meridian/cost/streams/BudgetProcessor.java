package dev.meridian.cost.streams;

import dev.meridian.registry.config.FleetView;
import dev.meridian.registry.rules.FleetRules;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.policy.cost.Budget;
import dev.meridian.policy.cost.BudgetEvaluation;
import dev.meridian.policy.cost.BudgetMonth;
import dev.meridian.policy.cost.BudgetPolicy;
import dev.meridian.policy.cost.BudgetTrack;
import dev.meridian.policy.cost.MonthSpend;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Every budget of the registry, from every region's hourly spend (the local topic and its mirrors), in the one task
 * of the single-partition budget input. Keeps the latest version of every aggregate (the allocation API reads the
 * same store), the month's totals per scope ({@link MonthSpend}, rebuilt from the store at {@link #init}) and each
 * scope's latest status, which is the budget gate's memory: state for hysteresis and the thresholds already alerted.
 * A status and the alerts it raises are committed with that memory under exactly-once, so an alert is raised once.
 */
final class BudgetProcessor implements Processor<String, SpendAggregate, String, Validated> {

    private static final System.Logger LOG = System.getLogger(BudgetProcessor.class.getName());

    private final CostSettings settings;
    private final FleetView registry;
    private final CostMetrics metrics;
    private final BudgetPolicy policy;

    private ProcessorContext<String, Validated> context;
    private KeyValueStore<String, SpendAggregate> lineStore;
    private KeyValueStore<String, BudgetStatus> statusStore;
    private MonthSpend month;
    private List<Budget> budgets = List.of();
    private Instant nextPrune = Instant.MIN;

    BudgetProcessor(CostSettings settings, FleetView registry, CostMetrics metrics) {
        this.settings = settings;
        this.registry = registry;
        this.metrics = metrics;
        this.policy = new BudgetPolicy(settings.budget());
    }

    @Override
    public void init(ProcessorContext<String, Validated> context) {
        this.context = context;
        lineStore = context.getStateStore(StateStores.COST_SPEND_LINES);
        statusStore = context.getStateStore(StateStores.COST_BUDGET_STATUS);
        AccrualProcessor.awaitRegistry(registry, settings.registryTimeout());
        loadMonth(Instant.ofEpochMilli(context.currentSystemTimeMs()));
        context.schedule(settings.evaluateInterval(), PunctuationType.WALL_CLOCK_TIME, this::evaluate);
    }

    private void loadMonth(Instant now) {
        BudgetMonth current = BudgetMonth.of(now, settings.budget().zone());
        month = MonthSpend.of(current, budgets);
        try (KeyValueIterator<String, SpendAggregate> it = lineStore.range(Keys.hourFloor(current.start()),
                Keys.hourFloor(current.end()))) {
            it.forEachRemaining(kv -> month.apply(kv.value));
        }
        LOG.log(Level.INFO, "month " + current.label() + ": " + month.size() + " hourly aggregates");
    }

    @Override
    public void process(Record<String, SpendAggregate> record) {
        SpendAggregate aggregate = record.value();
        if (aggregate == null) {
            return;
        }
        String key = Keys.hourFirst(aggregate.hourStart(), aggregate.id());
        if (!MonthSpend.newer(aggregate, lineStore.get(key))) {
            return;
        }
        lineStore.put(key, aggregate);
        month.apply(aggregate);
    }

    private void evaluate(long wallClockMs) {
        long started = System.nanoTime();
        Instant now = Instant.ofEpochMilli(wallClockMs);
        if (!BudgetMonth.of(now, settings.budget().zone()).equals(month.month())) {
            loadMonth(now);
        }
        List<Budget> current = budgets();
        if (!current.equals(budgets)) {
            budgets = current;
            month.budgets(current);
        }
        for (Budget budget : budgets) {
            String scope = budget.scope().scope();
            BudgetStatus previous = statusStore.get(scope);
            BudgetTrack track = previous == null ? null
                    : new BudgetTrack(scope, previous.month(), previous.state(), previous.thresholdsCrossed());
            BudgetEvaluation evaluation = policy.evaluate(track, budget, month.spent(scope), now);
            statusStore.put(scope, evaluation.status());
            for (BudgetAlert alert : evaluation.alerts()) {
                forward(scope, alert, ContractType.BUDGET_ALERT, now);
                metrics.alertRaised(alert);
            }
            if (evaluation.statusChanged()) {
                forward(scope, evaluation.status(), ContractType.BUDGET_STATUS, now);
                metrics.statusPublished();
            }
        }
        if (!now.isBefore(nextPrune)) {
            AccrualProcessor.prune(lineStore, now.minus(settings.history()));
            nextPrune = now.plus(Duration.ofHours(1));
        }
        metrics.budgetEvaluation(Duration.ofNanos(System.nanoTime() - started));
    }

    private void forward(String scope, Validated value, ContractType type, Instant now) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.write(headers, CloudEventAttributes.of(type, settings.source(), now,
                settings.subjectRegion()));
        context.forward(new Record<>(scope, value, now.toEpochMilli(), headers));
    }

    /** The registry's budgets as policy records; one that cannot be read is skipped (and logged), not fatal. */
    private List<Budget> budgets() {
        return FleetRules.budgets(registry.current(),
                (scope, reason) -> LOG.log(Level.WARNING, "skipping budget " + scope + ": " + reason));
    }
}
