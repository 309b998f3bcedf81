package dev.meridian.testkit.mirror;

import java.time.Duration;
import java.util.List;

/**
 * A running MirrorMaker 2, however it runs: dedicated mode ({@link MirrorMakerRunner}, one process for any set of
 * flows) or connectors on a Kafka Connect worker in the target cluster ({@link MirrorConnectWorker}, as Strimzi's
 * {@code KafkaMirrorMaker2} runs it). What {@link MultiRegionKafka#mirrors()} hands out.
 */
public interface Mirror extends AutoCloseable {

    /** The directions this MirrorMaker copies, with the topics regex of each. */
    List<MirrorMakerRunner.Flow> flows();

    /**
     * Waits until every flow runs: its source connector and that connector's tasks are RUNNING. Records flow from
     * then on.
     *
     * @throws IllegalStateException if that takes longer than {@code timeout}, or a connector or task failed
     */
    void awaitRunning(Duration timeout);

    /**
     * Stops copying. Committed source offsets are kept in the target cluster, so a MirrorMaker started later with the
     * same flows resumes where this one stopped.
     */
    @Override
    void close();
}
