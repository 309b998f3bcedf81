package dev.meridian.ingest.streams;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.ingest.intake.DeadLetters;
import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.ValidatedBy;
import dev.meridian.ingest.intake.Verdict;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.NodeMembership;
import dev.meridian.policy.window.NodeWindowAggregate;
import dev.meridian.policy.window.TumblingWindows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Node stage: folds each node's samples into tumbling windows and keeps the observed inventory.
 *
 * <p>Windows are emitted by a wall-clock punctuator, not by stream time: a window's result must appear within a
 * second of it closing even when no later sample arrives on its partition. A sample whose window has closed — by
 * wall clock or by a newer sample of the same node — is dropped and counted. The price of emitting by wall clock:
 * samples that reach the topology more than the grace after their window ended (consumer lag, a restart) are
 * dropped and counted too.
 *
 * <p>A node id stays bound to the region the inventory knows it in until the node is LEFT ({@link NodeMembership}):
 * a sample naming a known node in another region — a caller of one region posting for another region's node — is
 * refused before it touches a window or the inventory, and handed on as {@link NodeEvent#refused} for the DLQ.
 */
final class NodeWindowProcessor implements Processor<String, NodeMetric, String, NodeEvent> {

    /** DLQ rule (and {@code rule} tag of the rejected counter) of a sample naming a node of another region. */
    static final String RULE_NODE_OF_ANOTHER_REGION = "node-of-another-region";
    /** DLQ rule of a new node's sample while its region holds as many nodes as this task admits. */
    static final String RULE_NODE_LIMIT = "node-limit";

    private final TumblingWindows windows;
    private final NodeLiveness liveness;
    private final Duration emitInterval;
    private final WindowMetrics metrics;
    private final int nodesPerRegion;
    private final int nodesInAll;

    private ProcessorContext<String, NodeEvent> context;
    private CommitBufferedStore<NodeWindowAggregate> openWindows;
    private KeyValueStore<String, FleetNode> inventory;
    private KeyValueStore<String, NodeUtilization> latest;
    // In-memory mirrors of the two stores, loaded after restoration: every sample reads both, and reading the
    // stores would deserialize on each access. The stores stay the durable copy (changelogged); the open windows'
    // store writes each window dirtied since the last commit once, at the commit.
    private final Map<String, NodeWindowAggregate> openByKey = new HashMap<>();
    // The keys of openByKey by window start: closing windows is a range over a handful of starts, while every
    // sample is one hash lookup (a TreeMap of all open windows cost a tenth of the stream thread in string compares).
    private final NavigableMap<Instant, List<String>> keysByStart = new TreeMap<>();
    private final Map<String, FleetNode> members = new HashMap<>();
    // Nodes held (JOINED or STALE) per region: a flood of invented node ids must not grow the stores without bound.
    private final Map<String, Integer> heldByRegion = new HashMap<>();
    // Per node, not per task: one node stamping 5 s ahead must not cut the grace of every other node.
    private final Map<String, Instant> newestSample = new HashMap<>();
    private Instant lastLivenessCheck = Instant.EPOCH;

    /**
     * @param nodesPerRegion how many nodes of one region this task holds at most; a new node beyond is refused
     * @param nodesInAll     how many nodes of all regions together
     */
    NodeWindowProcessor(TumblingWindows windows, NodeLiveness liveness, Duration emitInterval, WindowMetrics metrics,
            int nodesPerRegion, int nodesInAll) {
        this.windows = windows;
        this.liveness = liveness;
        this.emitInterval = emitInterval;
        this.metrics = metrics;
        this.nodesPerRegion = nodesPerRegion;
        this.nodesInAll = nodesInAll;
    }

    @Override
    public void init(ProcessorContext<String, NodeEvent> context) {
        this.context = context;
        this.openWindows = context.getStateStore(StateStores.INGEST_NODE_WINDOWS);
        this.inventory = context.getStateStore(StateStores.INGEST_INVENTORY);
        this.latest = context.getStateStore(StateStores.INGEST_NODE_LATEST);
        // Kafka Streams may revive a task (exactly-once, after an aborted transaction) by calling init() again on
        // this same object: start the mirrors afresh from the restored stores, never from memory.
        openByKey.clear();
        keysByStart.clear();
        members.clear();
        heldByRegion.clear();
        newestSample.clear();
        lastLivenessCheck = Instant.EPOCH;
        openWindows.all().forEach((key, aggregate) -> open(key, WindowKeys.windowStart(key), aggregate));
        try (KeyValueIterator<String, FleetNode> it = inventory.all()) {
            it.forEachRemaining(entry -> hold(entry.value));
        }
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> onWallClock(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, NodeMetric> record) {
        NodeMetric sample = record.value();
        if (sample == null) {
            return;
        }
        Instant wallClock = Instant.ofEpochMilli(context.currentSystemTimeMs());
        FleetNode known = members.get(sample.nodeId());
        NodeMembership membership = NodeMembership.of(known, sample.ref());
        if (membership == NodeMembership.REFUSED) {
            refuse(record, "region", RULE_NODE_OF_ANOTHER_REGION, "region " + sample.region() + " is not the region of node "
                    + sample.nodeId() + ": the inventory knows it in " + known.region() + " (" + known.state()
                    + "), and a node keeps its region until it has LEFT", wallClock);
            return;
        }
        if (known == null && heldByRegion.getOrDefault(sample.region(), 0) >= nodesPerRegion) {
            refuse(record, "nodeId", RULE_NODE_LIMIT, "region " + sample.region() + " already has " + nodesPerRegion
                    + " nodes on this partition, the share of the node limit it admits; node " + sample.nodeId()
                    + " is not taken in until one of them has LEFT", wallClock);
            return;
        }
        if (known == null && members.size() >= nodesInAll) {
            refuse(record, "nodeId", RULE_NODE_LIMIT, "all regions together already have " + nodesInAll
                    + " nodes on this partition, the share of the total node limit it admits; node "
                    + sample.nodeId() + " is not taken in until one of them has LEFT", wallClock);
            return;
        }
        Instant windowStart = windows.startOf(sample.timestamp());
        Instant closesAt = windows.closesAt(windowStart);
        Instant newestOfNode = newestSample.getOrDefault(sample.nodeId(), Instant.EPOCH);
        if (!wallClock.isBefore(closesAt) || !newestOfNode.isBefore(closesAt)) {
            metrics.lateSampleDropped();
            return;
        }
        if (sample.timestamp().isAfter(newestOfNode)) {
            newestSample.put(sample.nodeId(), sample.timestamp());
        }
        String key = WindowKeys.of(windowStart, sample.nodeId());
        NodeWindowAggregate aggregate = openByKey.get(key);
        NodeWindowAggregate updated;
        if (aggregate == null) {
            updated = NodeWindowAggregate.empty().add(sample);
            open(key, windowStart, updated);
        } else {
            updated = aggregate.add(sample);
            openByKey.put(key, updated);
        }
        openWindows.put(key, updated);
        trackMembership(sample, known, membership, wallClock);
    }

    /** JOINED on a node's first sample, again after STALE, and under its new pool if it moved within its region. */
    private void trackMembership(NodeMetric sample, FleetNode known, NodeMembership membership, Instant wallClock) {
        if (membership == NodeMembership.UNCHANGED) {
            return;
        }
        if (membership == NodeMembership.MOVES) {
            forward(withState(known, NodeState.LEFT, sample.timestamp()), wallClock);
        }
        FleetNode joined = new FleetNode(sample.ref(), NodeState.JOINED, sample.timestamp(), sample.timestamp());
        remember(joined);
        forward(joined, wallClock);
    }

    /**
     * Dead-letters a sample the windowing does not take: no window, no inventory change. The intake marks each sample
     * with the door that checked it ({@link ValidatedBy}), else the Kafka door.
     */
    private void refuse(Record<String, NodeMetric> record, String field, String rule, String reason,
            Instant wallClock) {
        NodeMetric sample = record.value();
        Door door = ValidatedBy.of(record.headers()).orElse(Door.KAFKA);
        Verdict.Rejected<NodeMetric> rejected = new Verdict.Rejected<>(field, rule, reason);
        RecordHeaders headers = new RecordHeaders();
        DeadLetters.write(headers, rejected, door, wallClock);
        context.recordMetadata()
                .ifPresent(source -> DeadLetters.writeSource(headers, source.topic(), source.partition(),
                        source.offset()));
        context.forward(new Record<>(sample.nodeId(), NodeEvent.refused(sample), record.timestamp(), headers));
        metrics.sampleRefused(door.tag(), rule);
    }

    private void onWallClock(Instant now) {
        emitClosedWindows(now);
        if (!now.isBefore(lastLivenessCheck.plusSeconds(1))) {
            lastLivenessCheck = now;
            updateLiveness(now);
        }
    }

    private void emitClosedWindows(Instant now) {
        Instant lastClosedStart = now.minus(windows.size()).minus(windows.grace());
        Map<Instant, List<String>> closedStarts = keysByStart.headMap(lastClosedStart, true);
        List<String> closed = closedStarts.values().stream().flatMap(List::stream).sorted().toList();
        closedStarts.clear();
        for (String key : closed) {
            Instant start = WindowKeys.windowStart(key);
            Instant end = windows.endOf(start);
            NodeUtilization result = openByKey.remove(key).toUtilization(start, end);
            context.forward(new Record<>(result.nodeId(), NodeEvent.of(result), end.toEpochMilli()));
            latest.put(result.nodeId(), result);
            markSeen(result.nodeId(), end);
            openWindows.delete(key);
            metrics.nodeWindowEmitted(Duration.between(windows.closesAt(start), now));
        }
        if (!closed.isEmpty()) {
            // Under exactly-once results are visible at commit: ask for one now, so a result is on its topic within
            // the emit interval of closing whatever commit.interval.ms is.
            context.commit();
        }
    }

    private void open(String key, Instant windowStart, NodeWindowAggregate aggregate) {
        openByKey.put(key, aggregate);
        keysByStart.computeIfAbsent(windowStart, start -> new ArrayList<>()).add(key);
    }

    private void markSeen(String nodeId, Instant windowEnd) {
        FleetNode known = members.get(nodeId);
        if (known != null && known.lastSeen().isBefore(windowEnd)) {
            remember(new FleetNode(known.ref(), known.state(), known.since(), windowEnd));
        }
    }

    private void updateLiveness(Instant now) {
        List<FleetNode> changed = new ArrayList<>();
        for (FleetNode node : members.values()) {
            NodeState state = liveness.stateAt(node.lastSeen(), now);
            if (state != node.state() && state != NodeState.JOINED) {
                changed.add(withState(node, state, now));
            }
        }
        for (FleetNode node : changed) {
            if (node.state() == NodeState.LEFT) {
                release(node.nodeId());
                newestSample.remove(node.nodeId());
                inventory.delete(node.nodeId());
                latest.delete(node.nodeId());
            } else {
                remember(node);
            }
            forward(node, now);
        }
    }

    private void remember(FleetNode node) {
        hold(node);
        inventory.put(node.nodeId(), node);
    }

    private void hold(FleetNode node) {
        if (members.put(node.nodeId(), node) == null) {
            heldByRegion.merge(node.region(), 1, Integer::sum);
        }
    }

    private void release(String nodeId) {
        FleetNode held = members.remove(nodeId);
        if (held != null) {
            heldByRegion.computeIfPresent(held.region(), (region, count) -> count > 1 ? count - 1 : null);
        }
    }

    private void forward(FleetNode node, Instant at) {
        context.forward(new Record<>(node.nodeId(), NodeEvent.of(node), at.toEpochMilli()));
    }

    private static FleetNode withState(FleetNode node, NodeState state, Instant since) {
        return new FleetNode(node.ref(), state, since, node.lastSeen());
    }
}
