package dev.meridian.bench;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.policy.cost.CostLedger;
import dev.meridian.policy.cost.Efficiency;
import dev.meridian.policy.cost.LedgerStep;
import dev.meridian.policy.cost.NodeMeter;
import dev.meridian.policy.cost.PriceCatalog;
import dev.meridian.policy.cost.PriceKey;
import dev.meridian.policy.cost.PricePeriod;
import dev.meridian.policy.cost.SpendBucket;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost accrual for the fleet: 5 regions × 1,000 nodes, one accrual step per second per node, CPU time of this
 * thread per simulated hour of fleet. Measured in one run:
 * <ul>
 * <li>{@code baseline}: the least exact accrual can cost — per node-second one BigDecimal price × nanoseconds added to
 * the node's precomputed hourly sum;</li>
 * <li>{@code ledger}: the policy's {@link CostLedger} (one per region, as the cost service keeps them), ticked every
 * second: hour and price splitting, tag sets, aggregate ids;</li>
 * <li>{@code ledger+stores}: the same plus what the service adds per step: every changed meter and open bucket
 * serialized to JSON for its changelogged store, every changed aggregate serialized for the spend topic;</li>
 * <li>{@code service tick}: {@code ledger+stores} at the service's default 10 s tick (node time is charged the same,
 * in fewer, longer steps);</li>
 * <li>{@code idle windows}: pricing each node's 10 s utilization windows for idle cost (360 per node and hour).</li>
 * </ul>
 *
 * <pre>bench/run AccrualCost [regions, default 5] [nodes per region, default 1000] [simulated minutes, default 60]</pre>
 */
public final class AccrualCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Instant START = Instant.parse("2026-11-02T10:00:00Z");
    private static final String GPU = "g5.xlarge";

    private AccrualCost() {
    }

    public static void main(String[] args) throws Exception {
        int regions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int nodesPerRegion = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int seconds = minutes * 60;
        PriceCatalog catalog = catalog(regions);
        System.out.printf("fleet: %d regions × %,d nodes (a quarter spot), %d simulated minutes, price change at "
                + "+30 min%n", regions, nodesPerRegion, minutes);

        // warm-up: the JIT sees every path once before anything is timed
        ledgerRun(regions, Math.min(nodesPerRegion, 200), 300, 1, catalog, true);
        baseline(regions, Math.min(nodesPerRegion, 200), 300, catalog);

        double baseline = baseline(regions, nodesPerRegion, seconds, catalog);
        double ledger = ledgerRun(regions, nodesPerRegion, seconds, 1, catalog, false);
        double stores = ledgerRun(regions, nodesPerRegion, seconds, 1, catalog, true);
        double serviceTick = ledgerRun(regions, nodesPerRegion, seconds, 10, catalog, true);
        double idle = idleWindows(regions, nodesPerRegion, seconds, catalog);

        double perHour = 3600.0 / seconds;
        System.out.println();
        System.out.println("CPU time per simulated hour of fleet (this thread), and ratio to the baseline:");
        print("baseline (BigDecimal per node-second)", baseline * perHour, 1.0);
        print("ledger, 1 s steps", ledger * perHour, ledger / baseline);
        print("ledger + store/topic JSON, 1 s steps", stores * perHour, stores / baseline);
        print("ledger + store/topic JSON, 10 s tick (service default)", serviceTick * perHour, serviceTick / baseline);
        print("idle cost of 10 s node windows", idle * perHour, idle / baseline);
        long nodeSeconds = (long) regions * nodesPerRegion * seconds;
        System.out.printf("%nledger, 1 s steps: %.2f µs per node-second; %.2f %% of one core to keep up in real time%n",
                ledger * 1e6 / nodeSeconds, 100 * ledger / seconds);
        System.out.printf("service default (10 s tick + JSON, plus idle windows): %.3f %% of one core%n",
                100 * (serviceTick + idle) / seconds);
    }

    private static void print(String what, double cpuSecondsPerHour, double ratio) {
        System.out.printf("  %-56s %8.2f s CPU   %7.2f × baseline%n", what, cpuSecondsPerHour, ratio);
    }

    private static PriceCatalog catalog(int regions) {
        List<PricePeriod> periods = new ArrayList<>();
        for (int r = 0; r < regions; r++) {
            String region = "region-" + r;
            Instant change = START.plus(Duration.ofMinutes(30));
            PriceKey onDemand = new PriceKey(region, GPU, CapacityType.ON_DEMAND);
            periods.add(new PricePeriod(onDemand, Instant.parse("2026-01-01T00:00:00Z"), change,
                    new BigDecimal("1.0060"), "USD"));
            periods.add(new PricePeriod(onDemand, change, null, new BigDecimal("1.2000"), "USD"));
            periods.add(new PricePeriod(new PriceKey(region, GPU, CapacityType.SPOT),
                    Instant.parse("2026-01-01T00:00:00Z"), null, new BigDecimal("0.3018"), "USD"));
        }
        return PriceCatalog.of("USD", periods);
    }

    private static FleetNode node(int region, int n) {
        CapacityType capacity = n % 4 == 0 ? CapacityType.SPOT : CapacityType.ON_DEMAND;
        return new FleetNode("r" + region + "-n" + n, "region-" + region, "region-" + region + "a", "pool-" + (n % 3),
                Tier.CORE_GPU, GPU, capacity, NodeState.JOINED, START, START);
    }

    private static Map<String, String> poolTags(int n) {
        return Map.of("team", "team-" + (n % 3), "task", "inference");
    }

    /** CPU seconds of one simulated period with one ledger per region, stepped every {@code step} seconds. */
    private static double ledgerRun(int regions, int nodes, int seconds, int step, PriceCatalog catalog,
            boolean serialize) throws Exception {
        List<CostLedger> ledgers = new ArrayList<>();
        for (int r = 0; r < regions; r++) {
            CostLedger ledger = CostLedger.startingAt(START, CostLedger.DEFAULT_LATENESS);
            for (int n = 0; n < nodes; n++) {
                ledger = ledger.onNode(node(r, n), poolTags(n), catalog, START).ledger();
            }
            ledgers.add(ledger);
        }
        long bytes = 0;
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int s = step; s <= seconds; s += step) {
            Instant now = START.plusSeconds(s);
            for (int r = 0; r < regions; r++) {
                CostLedger before = ledgers.get(r);
                LedgerStep result = before.tick(now, catalog);
                ledgers.set(r, result.ledger());
                if (serialize) {
                    bytes += writeThrough(before, result);
                }
            }
        }
        double taken = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (serialize && bytes == 0) {
            throw new IllegalStateException("nothing serialized");
        }
        return taken;
    }

    /** What the service writes per step: changed meters and buckets to stores, changed aggregates to the topic. */
    private static long writeThrough(CostLedger before, LedgerStep step) throws Exception {
        long bytes = 0;
        for (Map.Entry<String, NodeMeter> meter : step.ledger().meters().entrySet()) {
            if (before.meters().get(meter.getKey()) != meter.getValue()) {
                bytes += ContractJson.mapper().writeValueAsBytes(meter.getValue()).length;
            }
        }
        for (Map.Entry<String, SpendBucket> bucket : step.ledger().buckets().entrySet()) {
            if (before.buckets().get(bucket.getKey()) != bucket.getValue()) {
                bytes += ContractJson.mapper().writeValueAsBytes(bucket.getValue()).length;
            }
        }
        for (var aggregate : step.aggregates()) {
            bytes += ContractJson.write(aggregate).length;
        }
        return bytes;
    }

    /** Per node-second: the node's price at that second times 10⁹ ns, added to its own hourly sum. */
    private static double baseline(int regions, int nodes, int seconds, PriceCatalog catalog) {
        BigDecimal nanosPerSecond = BigDecimal.valueOf(1_000_000_000L);
        Map<String, BigDecimal> sums = new HashMap<>();
        List<PriceKey> keys = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < regions; r++) {
            for (int n = 0; n < nodes; n++) {
                FleetNode node = node(r, n);
                keys.add(new PriceKey(node.region(), node.instanceType(), node.capacityType()));
                ids.add(node.nodeId());
            }
        }
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int s = 0; s < seconds; s++) {
            Instant at = START.plusSeconds(s);
            for (int i = 0; i < keys.size(); i++) {
                BigDecimal price = catalog.periodAt(keys.get(i), at).orElseThrow().hourlyPrice();
                sums.merge(ids.get(i), price.multiply(nanosPerSecond), BigDecimal::add);
            }
        }
        double taken = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (sums.size() != keys.size()) {
            throw new IllegalStateException("lost a node");
        }
        return taken;
    }

    /** Each node's 10 s windows (a third of them idle) priced for idle cost, as the service does per window. */
    private static double idleWindows(int regions, int nodes, int seconds, PriceCatalog catalog) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        int idle = 0;
        for (int s = 0; s < seconds; s += 10) {
            Instant start = START.plusSeconds(s);
            for (int r = 0; r < regions; r++) {
                for (int n = 0; n < nodes; n++) {
                    FleetNode node = node(r, n);
                    double gpu = (n + s / 10) % 3 == 0 ? 5 : 60;
                    NodeUtilization window = new NodeUtilization(node.nodeId(), node.region(), node.zone(), node.pool(),
                            node.tier(), node.instanceType(), node.capacityType(), start, start.plusSeconds(10), 10,
                            gpu, gpu, 40, 20, 30, 1, 1, null, null);
                    idle += Efficiency.idleCost(List.of(window), w -> poolTags(0), catalog,
                            Efficiency.DEFAULT_IDLE_BELOW).size();
                }
            }
        }
        double taken = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (idle == 0) {
            throw new IllegalStateException("no idle window");
        }
        return taken;
    }
}
