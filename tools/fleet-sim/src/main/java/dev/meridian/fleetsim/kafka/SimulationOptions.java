package dev.meridian.fleetsim.kafka;

import dev.meridian.fleetsim.emit.Emission;
import dev.meridian.fleetsim.model.CapacityTable;
import dev.meridian.fleetsim.model.Delays;
import dev.meridian.fleetsim.model.LatencyTable;
import dev.meridian.fleetsim.traffic.SyntheticDay;
import dev.meridian.fleetsim.traffic.TrafficSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How {@link FleetSimulator} runs. Compression speeds up the world (the traffic pattern, provisioning, drains,
 * spot notices) but never the timestamps: samples are stamped with the wall clock and sent once per {@code tick}.
 *
 * @param compression                  simulated seconds per wall-clock second, at least 1 (1 = real time)
 * @param delays                       real-cloud delays; divided by {@code compression} when applied
 * @param spotInterruptionsPerNodeHour notices per spot node and simulated hour (so {@code compression} times as many
 *                                     per wall-clock hour)
 * @param traffic                      client demand per region
 * @param trafficStart                 the simulated instant the traffic pattern starts at; null: the wall clock at
 *                                     start (a synthetic day then follows each region's real local time, faster)
 * @param capacity                     tokens per second per instance type
 * @param latency                      round-trip times the probes report
 * @param tick                         sample period of every node (one sample per node per tick)
 * @param probeInterval                latency probes for every pair of regions this often
 * @param seed                         seeds the spot interruptions
 * @param ceSource                     CloudEvents {@code ce_source} of the probes and notices
 * @param emission                     which door of metrics-ingest the samples take (Kafka, HTTP, remote_write)
 */
public record SimulationOptions(
        double compression,
        Delays delays,
        double spotInterruptionsPerNodeHour,
        TrafficSource traffic,
        Instant trafficStart,
        CapacityTable capacity,
        LatencyTable latency,
        Duration tick,
        Duration probeInterval,
        long seed,
        String ceSource,
        Emission emission) {

    public SimulationOptions {
        if (!(compression >= 1) || Double.isInfinite(compression)) {
            throw new IllegalArgumentException("compression must be at least 1, was " + compression);
        }
        Objects.requireNonNull(delays, "delays");
        Objects.requireNonNull(traffic, "traffic");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(probeInterval, "probeInterval");
        Objects.requireNonNull(ceSource, "ceSource");
        Objects.requireNonNull(emission, "emission");
        if (tick.toMillis() < 1 || probeInterval.toMillis() < 1) {
            throw new IllegalArgumentException("tick and probeInterval must be at least 1 ms");
        }
        if (!(spotInterruptionsPerNodeHour >= 0)) {
            throw new IllegalArgumentException("spotInterruptionsPerNodeHour must be >= 0, was "
                    + spotInterruptionsPerNodeHour);
        }
    }

    /**
     * Real time, real-cloud delays, a synthetic day, 0.2 spot notices per node-hour, the seed's capacity and latency
     * tables, one sample per node per second, probes every 10 s, everything on Kafka.
     */
    public static SimulationOptions defaults() {
        return new SimulationOptions(1, Delays.REAL_CLOUD, 0.2, SyntheticDay.DEFAULT, null, CapacityTable.defaults(),
                LatencyTable.defaults(), Duration.ofSeconds(1), Duration.ofSeconds(10), 42, "/meridian/fleet-sim",
                Emission.kafka());
    }

    /** The delays as applied: real-cloud delays divided by the compression. */
    public Delays effectiveDelays() {
        return delays.compressed(compression);
    }

    public SimulationOptions withCompression(double factor) {
        return new SimulationOptions(factor, delays, spotInterruptionsPerNodeHour, traffic, trafficStart, capacity,
                latency, tick, probeInterval, seed, ceSource, emission);
    }

    public SimulationOptions withDelays(Delays realCloud) {
        return new SimulationOptions(compression, realCloud, spotInterruptionsPerNodeHour, traffic, trafficStart,
                capacity, latency, tick, probeInterval, seed, ceSource, emission);
    }

    public SimulationOptions withSpotInterruptions(double perNodeHour) {
        return new SimulationOptions(compression, delays, perNodeHour, traffic, trafficStart, capacity, latency, tick,
                probeInterval, seed, ceSource, emission);
    }

    public SimulationOptions withTraffic(TrafficSource source, Instant start) {
        return new SimulationOptions(compression, delays, spotInterruptionsPerNodeHour, source, start, capacity,
                latency, tick, probeInterval, seed, ceSource, emission);
    }

    public SimulationOptions withCapacity(CapacityTable table) {
        return new SimulationOptions(compression, delays, spotInterruptionsPerNodeHour, traffic, trafficStart, table,
                latency, tick, probeInterval, seed, ceSource, emission);
    }

    public SimulationOptions withLatency(LatencyTable table) {
        return new SimulationOptions(compression, delays, spotInterruptionsPerNodeHour, traffic, trafficStart,
                capacity, table, tick, probeInterval, seed, ceSource, emission);
    }

    public SimulationOptions withTiming(Duration sampleTick, Duration probes) {
        return new SimulationOptions(compression, delays, spotInterruptionsPerNodeHour, traffic, trafficStart,
                capacity, latency, sampleTick, probes, seed, ceSource, emission);
    }

    public SimulationOptions withSeed(long newSeed) {
        return new SimulationOptions(compression, delays, spotInterruptionsPerNodeHour, traffic, trafficStart,
                capacity, latency, tick, probeInterval, newSeed, ceSource, emission);
    }

    /** Where the samples go: {@link Emission#kafka()} by default. */
    public SimulationOptions withEmission(Emission door) {
        return new SimulationOptions(compression, delays, spotInterruptionsPerNodeHour, traffic, trafficStart,
                capacity, latency, tick, probeInterval, seed, ceSource, door);
    }
}
