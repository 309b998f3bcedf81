package dev.meridian.contracts.topic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One topic of Meridian's public API: everything needed to create it, mirror it and document it.
 *
 * @param name             full topic name, {@code meridian.<domain>.<name>.v1}
 * @param key              what the record key is, in words ("nodeId", "region/pool")
 * @param value            what the record value is (the record type, or a description)
 * @param partitions       partition count in production and in the test kit
 * @param cleanup          delete or compact
 * @param retention        retention for delete topics; empty for compacted topics (kept forever)
 * @param minCompactionLag minimum time a record stays uncompacted; empty where it does not matter
 * @param crossesRegions   whether MirrorMaker 2 copies it to other regions (the cross-region set)
 */
public record TopicSpec(
        String name,
        String key,
        String value,
        int partitions,
        Cleanup cleanup,
        Optional<Duration> retention,
        Optional<Duration> minCompactionLag,
        boolean crossesRegions) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(cleanup, "cleanup");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(minCompactionLag, "minCompactionLag");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (cleanup == Cleanup.DELETE && retention.isEmpty()) {
            throw new IllegalArgumentException(name + ": a delete topic needs a retention");
        }
    }

    /** Topic-level Kafka configuration: what {@code Admin.createTopics} and Strimzi's KafkaTopic set. */
    public Map<String, String> kafkaConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanup.kafkaValue());
        configs.put("retention.ms", retention.map(r -> Long.toString(r.toMillis())).orElse("-1"));
        minCompactionLag.ifPresent(lag -> configs.put("min.compaction.lag.ms", Long.toString(lag.toMillis())));
        return configs;
    }
}
