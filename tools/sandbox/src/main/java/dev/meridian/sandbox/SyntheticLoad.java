package dev.meridian.sandbox;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Until the fleet simulator lands: every pool of the registry gets its minimum number of nodes, each writing one
 * NodeMetric a second to {@code meridian.metrics.raw.v1}, stamped with wall-clock time. Load follows a slow wave
 * per region (a two-minute period, regions out of phase) so the live view has something to show.
 */
final class SyntheticLoad implements AutoCloseable {

    private static final double PERIOD_SECONDS = 120;

    private final KafkaProducer<String, byte[]> producer;
    private final Supplier<FleetSnapshot> fleet;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sandbox-synthetic-load");
        thread.setDaemon(true);
        return thread;
    });
    private long sent;

    SyntheticLoad(String bootstrapServers, Supplier<FleetSnapshot> fleet) {
        this.fleet = fleet;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        timer.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    synchronized long sent() {
        return sent;
    }

    private void tick() {
        Instant now = Instant.now();
        FleetSnapshot snapshot = fleet.get();
        int regionIndex = 0;
        for (var region : snapshot.regions()) {
            double phase = 2 * Math.PI * regionIndex++ / Math.max(1, snapshot.regions().size());
            double wave = Math.sin(2 * Math.PI * now.getEpochSecond() / PERIOD_SECONDS + phase);
            for (NodePool pool : snapshot.poolsIn(region.name())) {
                int nodes = Math.max(1, pool.minSize());
                for (int n = 0; n < nodes; n++) {
                    double load = Math.max(0, Math.min(100, 55 + 35 * wave + 4 * ((n % 3) - 1)));
                    send(sample(region.name(), pool, n, now, load));
                }
            }
        }
    }

    private static NodeMetric sample(String region, NodePool pool, int n, Instant now, double load) {
        boolean gpu = pool.tier() == Tier.CORE_GPU;
        String type = pool.instanceTypes().isEmpty() ? "unknown" : pool.instanceTypes().get(0);
        return new NodeMetric(region + "-" + pool.name() + "-" + n, region, region + "-a", pool.name(), pool.tier(),
                type, pool.capacityType() == null ? CapacityType.ON_DEMAND : pool.capacityType(), now,
                gpu ? 8 : 0, gpu ? load : 0, gpu ? (long) (640 * load) : 0, gpu ? 81_920 : 0,
                gpu ? 20 + load / 5 : load, 45, 2e7, 1e7, gpu ? load / 10 : null, gpu ? load * 0.8 : null);
    }

    private void send(NodeMetric sample) {
        producer.send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, sample.nodeId(), ContractJson.write(sample)));
        synchronized (this) {
            sent++;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close();
    }
}
