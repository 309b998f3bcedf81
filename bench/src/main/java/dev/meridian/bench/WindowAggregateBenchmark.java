package dev.meridian.bench;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.policy.window.NodeWindowAggregate;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the policy's window accumulator per sample, against the cheapest possible pass over the same samples
 * (summing one field). The windowing topology adds this per sample on top of Kafka's own work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WindowAggregateBenchmark {

    private static final int SAMPLES = 10_000;

    private NodeMetric[] samples;

    @Setup
    public void generate() {
        SplittableRandom random = new SplittableRandom(42);
        Instant start = Instant.parse("2026-11-27T10:00:00Z");
        samples = new NodeMetric[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = new NodeMetric("node-" + (i % 100), "eu-west", "eu-west-1a", "gpu-core", Tier.CORE_GPU,
                    "p5.48xlarge", CapacityType.ON_DEMAND, start.plusMillis(i), 8, random.nextDouble(100),
                    random.nextLong(80_000), 80_000, random.nextDouble(100), random.nextDouble(100), 1e6, 2e6,
                    i % 2 == 0 ? (double) random.nextInt(32) : null, null);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double baselineSumOneField() {
        double sum = 0;
        for (NodeMetric sample : samples) {
            sum += sample.gpuUtil();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public NodeWindowAggregate accumulateWindow() {
        NodeWindowAggregate aggregate = NodeWindowAggregate.empty();
        for (NodeMetric sample : samples) {
            aggregate = aggregate.add(sample);
        }
        return aggregate;
    }
}
