package dev.meridian.ingest.streams;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.policy.window.PoolWindowAggregate;
import dev.meridian.policy.window.TumblingWindows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pool stage: node results keyed by region/pool are folded into pool windows; inventory changes keep the pool's
 * membership so a pool window can say how many of its nodes are stale.
 *
 * <p>Node windows of one pool are closed by different tasks and cross a repartition topic. A pool window is emitted
 * as soon as every JOINED node of the pool has reported for it, and otherwise {@code settle} after closing (a node
 * that fell silent is not STALE for three windows, and its pool must not wait for it that long). A node result for
 * a window its pool has already emitted is dropped and counted.
 */
final class PoolWindowProcessor implements Processor<String, NodeEvent, String, PoolUtilization> {

    private static final StringSerializer KEYS = new StringSerializer();

    private final TumblingWindows windows;
    private final Duration settle;
    private final Duration emitInterval;
    private final WindowMetrics metrics;

    private ProcessorContext<String, PoolUtilization> context;
    private KeyValueStore<String, PoolWindowAggregate> openWindows;
    private KeyValueStore<String, FleetNode> members;
    private KeyValueStore<String, PoolUtilization> latest;
    // JOINED nodes per pool, mirrored from the members store (rebuilt in init): checked on every node result.
    private final Map<String, Set<String>> joinedByPool = new HashMap<>();

    PoolWindowProcessor(TumblingWindows windows, Duration settle, Duration emitInterval, WindowMetrics metrics) {
        this.windows = windows;
        this.settle = settle;
        this.emitInterval = emitInterval;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, PoolUtilization> context) {
        this.context = context;
        this.openWindows = context.getStateStore(StateStores.INGEST_POOL_WINDOWS);
        this.members = context.getStateStore(StateStores.INGEST_POOL_MEMBERS);
        this.latest = context.getStateStore(StateStores.INGEST_POOL_LATEST);
        joinedByPool.clear();
        try (KeyValueIterator<String, FleetNode> it = members.all()) {
            it.forEachRemaining(entry -> track(entry.key.substring(0, entry.key.lastIndexOf('|')), entry.value));
        }
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emitSettled(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, NodeEvent> record) {
        NodeEvent event = record.value();
        if (event == null) {
            return;
        }
        String pool = event.poolKey();
        if (event.inventory() != null) {
            FleetNode node = event.inventory();
            String memberKey = pool + "|" + node.nodeId();
            if (node.state() == NodeState.LEFT) {
                members.delete(memberKey);
            } else {
                members.put(memberKey, node);
            }
            track(pool, node);
            return;
        }
        NodeUtilization result = event.utilization();
        PoolUtilization emitted = latest.get(pool);
        if (emitted != null && !emitted.windowStart().isBefore(result.windowStart())) {
            // Its pool window is out already; a second, partial result for the same window would mislead.
            metrics.lateNodeResultDropped();
            return;
        }
        String key = WindowKeys.of(result.windowStart(), pool);
        PoolWindowAggregate aggregate = openWindows.get(key);
        PoolWindowAggregate updated = (aggregate == null ? PoolWindowAggregate.empty() : aggregate).add(result);
        if (updated.reportingCount() >= joinedByPool.getOrDefault(pool, Set.of()).size()) {
            emit(key, updated, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        } else {
            openWindows.put(key, updated);
        }
    }

    private void track(String pool, FleetNode node) {
        Set<String> joined = joinedByPool.computeIfAbsent(pool, p -> new HashSet<>());
        if (node.state() == NodeState.JOINED) {
            joined.add(node.nodeId());
        } else {
            joined.remove(node.nodeId());
        }
    }

    private void emitSettled(Instant now) {
        Instant lastSettledStart = now.minus(windows.size()).minus(windows.grace()).minus(settle);
        List<KeyValue<String, PoolWindowAggregate>> settled = new ArrayList<>();
        try (KeyValueIterator<String, PoolWindowAggregate> it =
                openWindows.range(WindowKeys.lowest(), WindowKeys.upTo(lastSettledStart))) {
            it.forEachRemaining(settled::add);
        }
        for (KeyValue<String, PoolWindowAggregate> entry : settled) {
            emit(entry.key, entry.value, now);
        }
    }

    private void emit(String key, PoolWindowAggregate aggregate, Instant now) {
        Instant start = WindowKeys.windowStart(key);
        String pool = WindowKeys.id(key);
        int known = 0;
        int stale = 0;
        try (KeyValueIterator<String, FleetNode> it = members.prefixScan(pool + "|", KEYS)) {
            while (it.hasNext()) {
                known++;
                if (it.next().value.state() == NodeState.STALE) {
                    stale++;
                }
            }
        }
        PoolUtilization result = aggregate.toUtilization(start, windows.endOf(start), known, stale);
        context.forward(new Record<>(pool, result, windows.endOf(start).toEpochMilli()));
        latest.put(pool, result);
        openWindows.delete(key);
        metrics.poolWindowEmitted(Duration.between(windows.closesAt(start), now));
        // Under exactly-once a result is visible at commit: ask for one now rather than at the commit interval.
        context.commit();
    }
}
