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
import java.util.List;
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
 * <p>Node windows of one pool are closed by different tasks and cross a repartition topic, so a pool window waits
 * {@code settle} after closing before it is emitted. A node result for a window its pool has already emitted is
 * dropped and counted; one whose pool window was not emitted yet is still folded in and emitted late.
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
        openWindows.put(key, (aggregate == null ? PoolWindowAggregate.empty() : aggregate).add(result));
    }

    private void emitSettled(Instant now) {
        Instant lastSettledStart = now.minus(windows.size()).minus(windows.grace()).minus(settle);
        List<KeyValue<String, PoolWindowAggregate>> settled = new ArrayList<>();
        try (KeyValueIterator<String, PoolWindowAggregate> it =
                openWindows.range(WindowKeys.lowest(), WindowKeys.upTo(lastSettledStart))) {
            it.forEachRemaining(settled::add);
        }
        for (KeyValue<String, PoolWindowAggregate> entry : settled) {
            Instant start = WindowKeys.windowStart(entry.key);
            String pool = WindowKeys.id(entry.key);
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
            PoolUtilization result = entry.value.toUtilization(start, windows.endOf(start), known, stale);
            context.forward(new Record<>(pool, result, windows.endOf(start).toEpochMilli()));
            latest.put(pool, result);
            openWindows.delete(entry.key);
            metrics.poolWindowEmitted(Duration.between(windows.closesAt(start), now));
        }
    }
}
