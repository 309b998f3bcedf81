package dev.meridian.fleetsim.kafka;

import dev.meridian.fleetsim.model.PoolCounts;
import java.time.Instant;
import java.util.Map;

/**
 * What the simulator has done so far, for a live view: a consistent copy taken after each tick.
 *
 * @param samplesSent       NodeMetric samples handed to the sink (Kafka, HTTP or remote_write)
 * @param probesSent        LatencyProbes handed to the sink
 * @param interruptions     spot interruption notices given
 * @param commandsApplied   scale commands that changed the fleet (repeats and DEFERRED do not)
 * @param weightVersions    RoutingWeights records read (heartbeats included)
 * @param rejectedInputs    records on the weights or commands topic that were not valid contracts
 * @param sendErrors        records the broker did not accept, plus HTTP requests (HTTP and remote_write emission)
 *                          that failed, timed out or were dropped because too many were pending
 * @param pendingProvisions nodes asked for and not there yet
 * @param pools             nodes per {@code region/pool} and phase
 * @param demand            client demand per region in the last tick, tokens per second
 * @param lastTick          wall-clock time of the last tick; null before the first
 * @param lastError         the last failure of a tick (the simulator keeps going), null if none
 */
public record SimulatorStats(long samplesSent, long probesSent, long interruptions, long commandsApplied,
        long weightVersions, long rejectedInputs, long sendErrors, int pendingProvisions, Map<String, PoolCounts> pools,
        Map<String, Double> demand, Instant lastTick, String lastError) {

    public static final SimulatorStats NONE = new SimulatorStats(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), null,
            null);

    public SimulatorStats {
        pools = Map.copyOf(pools);
        demand = Map.copyOf(demand);
    }

    /** Serving, warm and draining nodes of every pool together. */
    public int nodes() {
        return pools.values().stream().mapToInt(PoolCounts::present).sum();
    }
}
