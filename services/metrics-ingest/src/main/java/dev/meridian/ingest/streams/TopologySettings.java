package dev.meridian.ingest.streams;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import java.time.Duration;

/** What the topology needs from configuration, as plain values so tests can build the same topology. */
public record TopologySettings(TumblingWindows windows, NodeLiveness liveness, Duration emitInterval,
        Duration poolSettle) {

    public static TopologySettings from(IngestConfig config) {
        return new TopologySettings(config.window().windows(), config.liveness(), config.window().emitInterval(),
                config.window().poolSettle());
    }

    public static TopologySettings defaults() {
        return new TopologySettings(TumblingWindows.DEFAULT, new NodeLiveness(TumblingWindows.DEFAULT, 3,
                Duration.ofMinutes(5)), Duration.ofMillis(200), Duration.ofMillis(1500));
    }
}
