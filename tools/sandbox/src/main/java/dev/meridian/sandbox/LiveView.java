package dev.meridian.sandbox;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;

import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.Region;
import dev.meridian.testkit.kafka.KafkaCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The console view, redrawn every refresh: plain text, with screen-clearing only when stdout is a terminal so the
 * same output reads well in a log file.
 */
final class LiveView implements AutoCloseable {

    private static final String CLEAR = "\033[H\033[2J";

    private final PrintStream out;
    private final FleetConfig fleet;
    private final Admin admin;
    private final boolean terminal = System.console() != null;
    private final List<ServiceProcess> services;
    private final KafkaConsumer<String, PoolUtilization> pools;
    private final Map<String, PoolUtilization> latestPools = new TreeMap<>();
    private Map<String, Long> lastCounts = Map.of();

    LiveView(PrintStream out, FleetConfig fleet, KafkaCluster kafka, List<ServiceProcess> services) {
        this.out = out;
        this.fleet = fleet;
        this.admin = kafka.admin();
        this.services = List.copyOf(services);
        this.pools = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                ContractSerdes.poolUtilization().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < TopicCatalog.byName(TopicCatalog.UTILIZATION_POOL).partitions(); p++) {
            partitions.add(new TopicPartition(TopicCatalog.UTILIZATION_POOL, p));
        }
        pools.assign(partitions);
        pools.seekToBeginning(partitions);
    }

    void render() {
        FleetSnapshot snapshot = fleet.current();
        lastCounts = recordCounts();
        pools.poll(Duration.ofMillis(100)).forEach(r -> latestPools.put(r.key(), r.value()));
        StringBuilder view = new StringBuilder();
        if (terminal) {
            view.append(CLEAR);
        }
        view.append("── Meridian sandbox · ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(fleet.isCaughtUp() ? " · registry caught up" : " · registry catching up").append('\n');
        if (!services.isEmpty()) {
            view.append("  services: ").append(services.stream().map(ServiceProcess::status)
                    .collect(Collectors.joining(", "))).append('\n');
        }
        for (Region region : snapshot.regions()) {
            String regionPools = snapshot.poolsIn(region.name()).stream()
                    .map(p -> describe(p.name(), p.tier().name(), p.minSize(), p.maxSize(),
                            latestPools.get(region.name() + "/" + p.name())))
                    .collect(Collectors.joining("; "));
            view.append(String.format("  %-13s %-5s %s%n", region.name(), region.zone().map(Enum::name).orElse("?"),
                    regionPools));
        }
        view.append(String.format("  prices %d · budgets %s%n", snapshot.prices().size(), snapshot.budgets().stream()
                .map(b -> b.scope() + " " + b.monthlyAmount().toPlainString() + " " + b.currency())
                .collect(Collectors.joining(", "))));
        view.append("  records per topic:");
        lastCounts.forEach((topic, count) -> {
            if (count > 0) {
                view.append(' ').append(topic.replace("meridian.", "")).append('=').append(count);
            }
        });
        view.append('\n');
        out.print(view);
        out.flush();
    }

    private static String describe(String pool, String tier, int min, int max, PoolUtilization window) {
        if (window == null) {
            return String.format("%s %s %d..%d: no window yet", pool, tier, min, max);
        }
        return String.format("%s %s %d..%d: load %.0f%% (%d nodes, %d eligible, %d saturated)", pool, tier, min, max,
                window.load(), window.nodeCount(), window.eligibleCount(), window.saturatedCount());
    }

    @Override
    public void close() {
        pools.close();
    }

    String summary() {
        FleetSnapshot snapshot = fleet.current();
        long records = lastCounts.values().stream().mapToLong(Long::longValue).sum();
        return String.format("%d regions, %d pools, %d prices, %d budgets from the registry; %d records on %d topics",
                snapshot.regions().size(), snapshot.pools().size(), snapshot.prices().size(),
                snapshot.budgets().size(), records, lastCounts.size());
    }

    private Map<String, Long> recordCounts() {
        Map<TopicPartition, OffsetSpec> request = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (TopicSpec spec : TopicCatalog.all()) {
            for (int p = 0; p < spec.partitions(); p++) {
                request.put(new TopicPartition(spec.name(), p), OffsetSpec.latest());
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        try {
            admin.listOffsets(request).all().get(5, TimeUnit.SECONDS)
                    .forEach((tp, info) -> counts.merge(tp.topic(), info.offset(), Long::sum));
        } catch (Exception e) {
            return lastCounts;
        }
        return counts;
    }

}
