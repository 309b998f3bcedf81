package dev.meridian.scheduler.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the routing inputs have been read up to where they ended when they were assigned. Until then the state is
 * partial: a region whose latency probe or pool window is still unread would be excluded ("missing latency",
 * "stale") in a first version that routers would act on. So the first decision waits for this.
 *
 * <p>The targets are the end offsets at assignment time, not the moving end: inputs that keep arriving cannot hold
 * routing back. Every local input topic must exist too: an input that is not there yet is not "caught up".
 */
final class InputCatchUp {

    private final Set<String> requiredTopics;
    private final Set<String> assignedTopics = new TreeSet<>();
    private final Map<TopicPartition, Long> pending = new HashMap<>();

    /** @param requiredTopics the local input topics, without which no decision can be right */
    InputCatchUp(Collection<String> requiredTopics) {
        this.requiredTopics = Set.copyOf(requiredTopics);
    }

    /** Newly assigned partitions and their end offsets when they were assigned. */
    void assigned(Map<TopicPartition, Long> endOffsets) {
        endOffsets.forEach((tp, end) -> {
            assignedTopics.add(tp.topic());
            pending.merge(tp, end, Math::max);
        });
    }

    /** True once every required topic is assigned and every assigned partition was read up to its target. */
    boolean caughtUp(ToLongFunction<TopicPartition> position) {
        pending.entrySet().removeIf(e -> position.applyAsLong(e.getKey()) >= e.getValue());
        return pending.isEmpty() && assignedTopics.containsAll(requiredTopics);
    }

    /** For the log while waiting: what is missing or unread. */
    String describeMissing() {
        Set<String> missing = new TreeSet<>(requiredTopics);
        missing.removeAll(assignedTopics);
        return "missing topics " + missing + ", unread partitions " + new TreeSet<>(pending.keySet().stream()
                .map(TopicPartition::toString).toList());
    }
}
