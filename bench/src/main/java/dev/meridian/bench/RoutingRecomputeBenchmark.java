package dev.meridian.bench;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.policy.routing.Decision;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.routing.RoutingInputs;
import dev.meridian.policy.routing.RoutingPolicy;
import dev.meridian.policy.routing.RoutingSettings;
import dev.meridian.policy.routing.RoutingTargets;
import dev.meridian.policy.routing.WeightsCalculator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one routing computation for one client region over 5 home regions × 1,000 GPU nodes (one pool of 1,000
 * per region, 5,000 node windows and inventory rows): the undamped targets alone, a first decision, and a decision
 * against an already published version (the steady state: targets, damping, no eligibility change).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RoutingRecomputeBenchmark {

    private static final int REGIONS = 5;
    private static final int NODES_PER_REGION = 1_000;

    private RoutingInputs inputs;
    private Instant now;
    private WeightsCalculator calculator;
    private RoutingPolicy policy;
    private RoutingWeights published;

    @Setup
    public void generate() {
        SplittableRandom random = new SplittableRandom(42);
        Instant end = Instant.parse("2026-11-27T10:00:00Z");
        Instant start = end.minus(Duration.ofSeconds(10));
        now = end.plusSeconds(1);
        List<String> regions = new ArrayList<>();
        Map<String, String> zones = new HashMap<>();
        List<PoolUtilization> pools = new ArrayList<>();
        List<NodeUtilization> nodes = new ArrayList<>();
        List<FleetNode> inventory = new ArrayList<>();
        List<LatencyProbe> latencies = new ArrayList<>();
        for (int r = 0; r < REGIONS; r++) {
            String region = "eu-r" + r;
            String pool = "gpu-core";
            regions.add(region);
            zones.put(region, "EU");
            double loadSum = 0;
            for (int n = 0; n < NODES_PER_REGION; n++) {
                String id = region + "-node-" + n;
                double gpu = random.nextDouble(10, 80);
                loadSum += gpu;
                nodes.add(new NodeUtilization(id, region, region + "a", pool, Tier.CORE_GPU, "p5.48xlarge",
                        CapacityType.ON_DEMAND, start, end, 10, gpu, gpu, 40.0, 20.0, 30.0, 1.0, 1.0, null, null));
                inventory.add(new FleetNode(id, region, region + "a", pool, Tier.CORE_GPU, "p5.48xlarge",
                        CapacityType.ON_DEMAND, NodeState.JOINED, start, end));
            }
            double avg = loadSum / NODES_PER_REGION;
            pools.add(new PoolUtilization(region, pool, Tier.CORE_GPU, start, end, NODES_PER_REGION,
                    NODES_PER_REGION, 0, 0, avg, avg, 20.0, 40.0, null, null));
            latencies.add(new LatencyProbe("eu-r0", region, 5 + 10 * r, end, "bench"));
        }
        inputs = new RoutingInputs("eu-r0", Set.copyOf(regions), new Residency(zones, Set.of("EU"), Map.of()), pools,
                nodes, inventory, latencies, Set.of(), Set.of());
        calculator = new WeightsCalculator(RoutingSettings.DEFAULTS);
        policy = new RoutingPolicy(RoutingSettings.DEFAULTS);
        published = policy.decide(inputs, null, now).toPublish().orElseThrow();
    }

    @Benchmark
    public RoutingTargets computeTargets() {
        return calculator.compute(inputs, now);
    }

    @Benchmark
    public Decision decideFirst() {
        return policy.decide(inputs, null, now);
    }

    @Benchmark
    public Decision decideAgainstPublished() {
        return policy.decide(inputs, published, now.plusSeconds(1));
    }
}
