package dev.meridian.scheduler.routing;

import dev.meridian.contracts.topic.Mirrors;
import dev.meridian.contracts.topic.TopicCatalog;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The topics routing reads, and whether their mirrors ({@code <alias>.<topic>}) count as well. */
public enum InputKind {
    POOL(TopicCatalog.UTILIZATION_POOL, true, false),
    NODE(TopicCatalog.UTILIZATION_NODE, false, false),
    INVENTORY(TopicCatalog.FLEET_NODES, false, true),
    LATENCY(TopicCatalog.LATENCY, true, true),
    INTERRUPTION(TopicCatalog.FLEET_INTERRUPTIONS, false, false),
    COMMAND(TopicCatalog.SCALING_COMMANDS, false, false),
    /**
     * Operators' actions, compacted (a node's latest CORDON, DRAIN or UNCORDON). Mirrors count only if the catalog
     * lets the topic cross regions; it keeps it in its region, as a node is weighed by its own region's scheduler.
     */
    OPERATOR(TopicCatalog.OPERATOR_ACTIONS, TopicCatalog.byName(TopicCatalog.OPERATOR_ACTIONS).crossesRegions(), true);

    private static final Map<String, Optional<InputKind>> BY_TOPIC = new ConcurrentHashMap<>();

    private final String topic;
    private final boolean mirrored;
    private final boolean compacted;

    InputKind(String topic, boolean mirrored, boolean compacted) {
        this.topic = topic;
        this.mirrored = mirrored;
        this.compacted = compacted;
    }

    public String topic() {
        return topic;
    }

    /** Compacted topics are the current state and are read from their start; the others from a look-back. */
    public boolean compacted() {
        return compacted;
    }

    /**
     * The kind of {@code topic}: the local topic itself, or for pool aggregates and latency a MirrorMaker copy
     * {@code <alias>.<topic>}. Node-level topics never cross regions, so their mirrors are not ours to read.
     */
    public static Optional<InputKind> of(String topic) {
        // Asked once per record, about a handful of topic names.
        return BY_TOPIC.computeIfAbsent(topic, InputKind::match);
    }

    private static Optional<InputKind> match(String topic) {
        for (InputKind kind : values()) {
            if (kind.topic.equals(topic) || (kind.mirrored && Mirrors.isMirror(topic, kind.topic))) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
