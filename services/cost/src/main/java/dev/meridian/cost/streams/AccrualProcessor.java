package dev.meridian.cost.streams;

import dev.meridian.registry.config.FleetView;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.policy.cost.AccrualGap;
import dev.meridian.policy.cost.CostLedger;
import dev.meridian.policy.cost.CostLine;
import dev.meridian.policy.cost.Efficiency;
import dev.meridian.policy.cost.InventoryCorrections;
import dev.meridian.policy.cost.LedgerStep;
import dev.meridian.policy.cost.NodeMeter;
import dev.meridian.policy.cost.PriceCatalog;
import dev.meridian.policy.cost.SpendBucket;
import dev.meridian.registry.config.FleetSnapshot;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Accrual of the home regions' nodes, one {@link CostLedger} per region (inputs arrive keyed by region). The ledger is
 * policy; this class feeds it, writes every changed meter and open bucket through to the changelogged stores and
 * publishes the changed hours to {@code meridian.cost.spend.v1}. Under exactly-once the store writes, the published
 * aggregates and the input offsets commit together, so after a crash the stores hold exactly what was published.
 *
 * <p>In memory it keeps the ledgers rebuilt from the stores at {@link #init} (after restoration); the stores are the
 * truth, the map a cache of them.
 */
final class AccrualProcessor implements Processor<String, CostInput, String, SpendAggregate> {

    private static final System.Logger LOG = System.getLogger(AccrualProcessor.class.getName());
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final CostSettings settings;
    private final FleetView registry;
    private final CostMetrics metrics;
    private final CatalogCache catalogs;
    private final Map<String, CostLedger> ledgers = new TreeMap<>();
    private Instant nextPrune = Instant.MIN;
    /** computedAt of the last published aggregates: each step's are strictly later (see {@link #stamp}). */
    private Instant lastStamp = Instant.MIN;

    private ProcessorContext<String, SpendAggregate> context;
    private KeyValueStore<String, NodeMeter> meterStore;
    private KeyValueStore<String, SpendBucket> bucketStore;
    private KeyValueStore<String, LedgerMeta> ledgerStore;
    private KeyValueStore<String, EfficiencyLine> efficiencyStore;

    AccrualProcessor(CostSettings settings, FleetView registry, CostMetrics metrics) {
        this.settings = settings;
        this.registry = registry;
        this.metrics = metrics;
        this.catalogs = new CatalogCache(settings.currency(), metrics);
    }

    @Override
    public void init(ProcessorContext<String, SpendAggregate> context) {
        this.context = context;
        meterStore = context.getStateStore(StateStores.COST_METERS);
        bucketStore = context.getStateStore(StateStores.COST_OPEN_BUCKETS);
        ledgerStore = context.getStateStore(StateStores.COST_LEDGERS);
        efficiencyStore = context.getStateStore(StateStores.COST_EFFICIENCY);
        awaitRegistry(registry, settings.registryTimeout());
        load();
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    /** Pricing before the registry is read would book node time as unpriced gaps: wait for it (bounded). */
    static void awaitRegistry(FleetView registry, Duration timeout) {
        try {
            if (!registry.awaitCaughtUp(timeout)) {
                LOG.log(Level.WARNING, "the registry view has not caught up after " + timeout + "; going on with it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void load() {
        Map<String, Instant> finalized = new HashMap<>();
        Map<String, Map<String, NodeMeter>> meters = new HashMap<>();
        Map<String, Map<String, SpendBucket>> buckets = new HashMap<>();
        try (KeyValueIterator<String, LedgerMeta> it = ledgerStore.all()) {
            it.forEachRemaining(kv -> finalized.put(kv.key, kv.value.finalizedBefore()));
        }
        try (KeyValueIterator<String, NodeMeter> it = meterStore.all()) {
            it.forEachRemaining(kv -> meters.computeIfAbsent(kv.value.region(), r -> new HashMap<>()).put(kv.key, kv.value));
        }
        try (KeyValueIterator<String, SpendBucket> it = bucketStore.all()) {
            it.forEachRemaining(kv -> buckets.computeIfAbsent(kv.value.region(), r -> new HashMap<>()).put(kv.key, kv.value));
        }
        finalized.forEach((region, before) -> ledgers.put(region, new CostLedger(
                meters.getOrDefault(region, Map.of()), buckets.getOrDefault(region, Map.of()), before,
                settings.lateness())));
        if (!ledgers.isEmpty()) {
            LOG.log(Level.INFO, "restored the ledgers of " + ledgers.keySet() + ": " + meters.values().stream()
                    .mapToInt(Map::size).sum() + " meters, " + buckets.values().stream().mapToInt(Map::size).sum()
                    + " open hours");
        }
    }

    @Override
    public void process(Record<String, CostInput> record) {
        CostInput input = record.value();
        String region = record.key();
        if (input == null || region == null) {
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        FleetSnapshot snapshot = registry.current();
        if (input.node() != null) {
            node(region, input.node(), snapshot, now);
        } else if (input.command() != null) {
            command(region, input.command(), snapshot, now);
        } else if (input.window() != null) {
            window(region, input.window(), snapshot, now);
        }
    }

    private void node(String region, FleetNode node, FleetSnapshot snapshot, Instant now) {
        CostLedger ledger = ledger(region, now);
        if (!InventoryCorrections.admit(node, ledger.meters().get(node.nodeId()))) {
            return;
        }
        apply(region, ledger, node, snapshot, now);
        metrics.inventoryApplied(node.state().name());
    }

    private void command(String region, ScaleCommand command, FleetSnapshot snapshot, Instant now) {
        CostLedger ledger = ledgers.get(region);
        if (ledger == null) {
            return;
        }
        for (FleetNode leave : InventoryCorrections.leaves(command, ledger.meters())) {
            ledger = apply(region, ledger, leave, snapshot, now);
        }
    }

    private void window(String region, NodeUtilization window, FleetSnapshot snapshot, Instant now) {
        CostLedger ledger = ledgers.get(region);
        if (ledger != null) {
            Optional<FleetNode> revived = InventoryCorrections.revival(window,
                    ledger.meters().get(window.nodeId()), settings.scaleInGrace());
            if (revived.isPresent()) {
                LOG.log(Level.WARNING, window.nodeId() + " still reports after a SCALE_IN named it; charging it again");
                apply(region, ledger, revived.get(), snapshot, now);
            }
        }
        List<CostLine> idle = Efficiency.idleCost(List.of(window),
                w -> catalogs.poolTags(snapshot, w.region(), w.pool()), catalogs.catalog(snapshot),
                settings.idleBelowPercent());
        for (CostLine line : idle) {
            String key = Keys.hourFirst(line.hourStart(), SpendAggregate.key(line.region(), line.hourStart(),
                    line.tags()));
            EfficiencyLine held = efficiencyStore.get(key);
            if (held == null) {
                held = EfficiencyLine.empty(line.region(), line.hourStart(), line.tags(), line.currency());
            }
            efficiencyStore.put(key, held.plusIdle(line.amount(), line.nodeSeconds()));
        }
    }

    private CostLedger apply(String region, CostLedger ledger, FleetNode node, FleetSnapshot snapshot, Instant now) {
        PriceCatalog catalog = catalogs.catalog(snapshot);
        LedgerStep step = ledger.onNode(node, catalogs.poolTags(snapshot, node.region(), node.pool()), catalog, now);
        return commit(region, ledger, step);
    }

    private void tick(long wallClockMs) {
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        Instant now = Instant.ofEpochMilli(wallClockMs);
        PriceCatalog catalog = catalogs.catalog(registry.current());
        for (Map.Entry<String, CostLedger> entry : List.copyOf(ledgers.entrySet())) {
            commit(entry.getKey(), entry.getValue(), entry.getValue().tick(now, catalog));
        }
        if (!now.isBefore(nextPrune)) {
            prune(efficiencyStore, now.minus(settings.history()));
            nextPrune = now.plus(Duration.ofHours(1));
        }
        metrics.accrualTick(Duration.ofNanos(Math.max(0, THREADS.getCurrentThreadCpuTime() - cpuBefore)));
    }

    private CostLedger ledger(String region, Instant now) {
        return ledgers.computeIfAbsent(region, r -> {
            // A region seen for the first time: hours that ended more than the lateness ago are someone else's past.
            CostLedger fresh = CostLedger.startingAt(now.minus(settings.lateness()), settings.lateness());
            ledgerStore.put(r, new LedgerMeta(r, fresh.finalizedBefore()));
            return fresh;
        });
    }

    /** Writes what changed through to the stores and publishes the changed hours. */
    private CostLedger commit(String region, CostLedger before, LedgerStep step) {
        CostLedger after = step.ledger();
        ledgers.put(region, after);
        writeThrough(before.meters(), after.meters(), meterStore);
        writeThrough(before.buckets(), after.buckets(), bucketStore);
        if (!before.finalizedBefore().equals(after.finalizedBefore())) {
            ledgerStore.put(region, new LedgerMeta(region, after.finalizedBefore()));
        }
        List<SpendAggregate> aggregates = step.aggregates();
        Instant at = stamp(step.at());
        for (SpendAggregate published : aggregates) {
            SpendAggregate aggregate = new SpendAggregate(published.id(), published.region(), published.hourStart(),
                    published.tags(), published.amount(), published.currency(), published.nodeSeconds(), at);
            RecordHeaders headers = new RecordHeaders();
            CloudEventHeaders.write(headers, CloudEventAttributes.of(ContractType.SPEND_AGGREGATE, settings.source(),
                    at, aggregate.region()));
            context.forward(new Record<>(aggregate.id(), aggregate, at.toEpochMilli(), headers));
        }
        if (!aggregates.isEmpty()) {
            metrics.spendPublished(aggregates.size());
        }
        for (SpendBucket bucket : step.changed()) {
            if (bucket.spot()) {
                CostLine savings = bucket.spotSavingsLine();
                String key = Keys.hourFirst(bucket.hourStart(), bucket.id());
                EfficiencyLine held = efficiencyStore.get(key);
                if (held == null) {
                    held = EfficiencyLine.empty(bucket.region(), bucket.hourStart(), bucket.tags(), bucket.currency());
                }
                efficiencyStore.put(key, held.withSpotSavings(savings.amount()));
            }
        }
        for (AccrualGap gap : step.gaps()) {
            metrics.gap(gap);
            LOG.log(Level.DEBUG, () -> "accrual gap " + gap);
        }
        return after;
    }

    /**
     * Readers keep the version of an hour with the latest computedAt (on a tie, the larger node time: a take-back
     * would lose). Two steps within one clock reading (a tick, then a late LEFT) must still be ordered, so a step's
     * stamp is a nanosecond after the previous one when the clock has not moved.
     */
    private Instant stamp(Instant at) {
        lastStamp = at.isAfter(lastStamp) ? at : lastStamp.plusNanos(1);
        return lastStamp;
    }

    /** Unchanged entries are the same objects in both maps (the ledger copies references), so identity finds changes. */
    private static <V> void writeThrough(Map<String, V> before, Map<String, V> after, KeyValueStore<String, V> store) {
        for (Map.Entry<String, V> entry : after.entrySet()) {
            if (before.get(entry.getKey()) != entry.getValue()) {
                store.put(entry.getKey(), entry.getValue());
            }
        }
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                store.delete(key);
            }
        }
    }

    /** Removes efficiency lines older than the history (called from the tick once an hour). */
    static void prune(KeyValueStore<String, ?> store, Instant cutoff) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, ?> it = store.range("", Keys.hourFloor(cutoff))) {
            while (it.hasNext()) {
                KeyValue<String, ?> kv = it.next();
                old.add(kv.key);
            }
        }
        old.forEach(store::delete);
    }
}
