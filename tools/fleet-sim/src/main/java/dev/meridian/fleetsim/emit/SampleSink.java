package dev.meridian.fleetsim.emit;

import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import java.time.Instant;
import java.util.List;

/**
 * Where one tick of the simulator goes. {@link #emit} is called from the tick loop and must return at once:
 * delivery is asynchronous, and what fails is counted, not thrown.
 */
public interface SampleSink extends AutoCloseable {

    /**
     * @param at      the tick's wall-clock time; every sample, probe and notice is stamped with it
     * @param probes  empty in ticks without probes
     */
    void emit(Instant at, List<NodeMetric> samples, List<Interruption> notices, List<LatencyProbe> probes);

    /** Records the broker did not accept plus HTTP requests that failed, timed out or were dropped, so far. */
    long failures();

    /** The latest failure, or null if none. */
    String lastFailure();

    /** Delivers what was handed over (waiting a few seconds at most) and releases the clients. */
    @Override
    void close();
}
