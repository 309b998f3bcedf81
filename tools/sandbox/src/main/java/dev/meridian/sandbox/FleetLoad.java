package dev.meridian.sandbox;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.Region;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Steady node agents: every pool of the given regions at a fixed node count, each node one NodeMetric a second at
 * the load set for its pool, plus a latency probe from each of those regions to every region of the registry every
 * five seconds (1.5 ms inside a region, 12 ms inside a zone, 80 ms across: round figures, so weights are easy to
 * check by hand). The end-to-end test drives the sandbox with it
 * because fixed loads make every step deterministic; the multi-region sandbox runs one per region, each against
 * its own region's cluster, as a region's agents would.
 */
final class FleetLoad implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Supplier<FleetSnapshot> fleet;
    private final Map<String, Double> loadByPool = new ConcurrentHashMap<>();
    private final Map<String, Integer> nodesByPool;
    private final double defaultLoad;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Predicate<String> regions;
    private long ticks;

    /** Agents of every region of the registry. */
    FleetLoad(String bootstrapServers, Supplier<FleetSnapshot> fleet, Map<String, Integer> nodesByPool,
            double defaultLoad) {
        this(bootstrapServers, fleet, nodesByPool, defaultLoad, region -> true);
    }

    /** Agents of the regions {@code regions} accepts only. */
    FleetLoad(String bootstrapServers, Supplier<FleetSnapshot> fleet, Map<String, Integer> nodesByPool,
            double defaultLoad, Predicate<String> regions) {
        this.fleet = fleet;
        this.regions = regions;
        this.nodesByPool = Map.copyOf(nodesByPool);
        this.defaultLoad = defaultLoad;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        timer.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    /** From the next second on, every node of {@code region/pool} reports this GPU (or CPU) load. */
    void setLoad(String region, String pool, double percent) {
        loadByPool.put(region + "/" + pool, percent);
    }

    private void tick() {
        Instant now = Instant.now();
        FleetSnapshot snapshot = fleet.get();
        for (Region region : snapshot.regions()) {
            if (!regions.test(region.name())) {
                continue;
            }
            for (NodePool pool : snapshot.poolsIn(region.name())) {
                String key = region.name() + "/" + pool.name();
                int nodes = nodesByPool.getOrDefault(key, Math.max(1, pool.minSize()));
                double load = loadByPool.getOrDefault(key, defaultLoad);
                for (int n = 0; n < nodes; n++) {
                    NodeMetric sample = sample(region.name(), pool, n, now, load);
                    producer.send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, sample.nodeId(),
                            ContractJson.write(sample)));
                }
            }
        }
        if (ticks++ % 5 == 0) {
            for (Region from : snapshot.regions()) {
                if (!regions.test(from.name())) {
                    continue;
                }
                for (Region to : snapshot.regions()) {
                    double rtt = from.name().equals(to.name()) ? 1.5
                            : from.zoneCode().equals(to.zoneCode()) ? 12 : 80;
                    LatencyProbe probe = new LatencyProbe(from.name(), to.name(), rtt, now, "sandbox-fleet-load");
                    producer.send(new ProducerRecord<>(TopicCatalog.LATENCY, probe.key(), ContractJson.write(probe)));
                }
            }
        }
    }

    private static NodeMetric sample(String region, NodePool pool, int n, Instant now, double load) {
        boolean gpu = pool.tier() == Tier.CORE_GPU;
        return new NodeMetric(region + "-" + pool.name() + "-" + n, region, region + "-a", pool.name(), pool.tier(),
                pool.instanceTypes().get(0), pool.capacityType() == null ? CapacityType.ON_DEMAND
                        : pool.capacityType(), now, gpu ? 8 : 0, gpu ? load : 0, gpu ? (long) (640 * load) : 0,
                gpu ? 81_920 : 0, gpu ? 20 : load, 45, 2e7, 1e7, null, null);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close();
    }
}
