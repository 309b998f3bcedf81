package dev.meridian.ingest.streams;

import dev.meridian.ingest.remotewrite.NodeSeriesSample.GpuReading;
import dev.meridian.ingest.remotewrite.NodeSeriesSample.NodeCounters;
import java.time.Instant;
import java.util.Map;

/**
 * One node's entry in {@link RawIntake#COUNTERS_STORE}.
 *
 * @param counters   the previous node_exporter reading, the base of the next rates; null until the first one
 * @param countersAt when it was scraped
 * @param gpus       the latest reading of each GPU, by DCGM {@code gpu} label
 */
record CounterState(NodeCounters counters, Instant countersAt, Map<String, GpuReading> gpus) {

    CounterState {
        gpus = gpus == null ? Map.of() : Map.copyOf(gpus);
    }

    static CounterState empty() {
        return new CounterState(null, null, Map.of());
    }

    /** The newest reading held, counters or GPU; {@link Instant#MIN} if none. */
    Instant newest() {
        Instant newest = countersAt == null ? Instant.MIN : countersAt;
        for (GpuReading gpu : gpus.values()) {
            if (gpu.timestamp().isAfter(newest)) {
                newest = gpu.timestamp();
            }
        }
        return newest;
    }
}
