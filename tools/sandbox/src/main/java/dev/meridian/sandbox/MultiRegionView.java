package dev.meridian.sandbox;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.sandbox.SandboxServices.RegionalAudit;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The multi-region sandbox's console: per region, its wide-area link, its own pools' latest windows, the records
 * MirrorMaker copied in from each other region, and the GPU routing weights its scheduler publishes for its
 * clients; and the cut and restore events with when each region's weights first reacted to them.
 */
final class MultiRegionView implements AutoCloseable {

    private static final String CLEAR = "\033[H\033[2J";

    private final PrintStream out;
    private final MultiRegionSandbox sandbox;
    private final boolean terminal = System.console() != null;
    private final Map<String, TopicTail<RoutingWeights>> weights = new LinkedHashMap<>();
    private final Map<String, TopicTail<PoolUtilization>> pools = new LinkedHashMap<>();
    private final Map<String, Admin> admins = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> mirroredIn = new TreeMap<>();
    private final List<String> events = new ArrayList<>();
    private final Map<String, Long> versions = new TreeMap<>();
    private final Map<String, String> auditCounts = new TreeMap<>();
    private Reaction pending;

    /** A cut or restore of {@code region} whose effect on its zone neighbours' GPU weights is awaited. */
    private record Reaction(String what, String region, boolean cut, Instant at) {
    }

    MultiRegionView(PrintStream out, MultiRegionSandbox sandbox) {
        this.out = out;
        this.sandbox = sandbox;
        for (String region : MultiRegionSandbox.REGIONS) {
            String bootstrap = sandbox.kafka().cluster(region).bootstrapServers();
            weights.put(region, new TopicTail<>(bootstrap, TopicCatalog.ROUTING_WEIGHTS,
                    ContractSerdes.routingWeights().deserializer(), 0));
            pools.put(region, new TopicTail<>(bootstrap, TopicCatalog.UTILIZATION_POOL,
                    ContractSerdes.poolUtilization().deserializer(), 0));
            admins.put(region, sandbox.kafka().cluster(region).admin());
        }
    }

    /** Cuts the region's link now and watches for its zone neighbours' weights to drop it. */
    void cut(String region) {
        sandbox.cut(region);
        pending = new Reaction("cut " + region, region, true, Instant.now());
        events.add(stamp(pending.at()) + " cut " + region + "'s wide-area link");
    }

    void restore(String region) {
        sandbox.restore(region);
        pending = new Reaction("restore " + region, region, false, Instant.now());
        events.add(stamp(pending.at()) + " restored " + region + "'s wide-area link");
    }

    void render() {
        refresh();
        StringBuilder view = new StringBuilder();
        if (terminal) {
            view.append(CLEAR);
        }
        view.append("── Meridian multi-region sandbox · ").append(stamp(Instant.now())).append('\n');
        view.append("services  ").append(sandbox.services().stream().map(ServiceProcess::status)
                .collect(Collectors.joining(", "))).append('\n');
        for (String region : MultiRegionSandbox.REGIONS) {
            boolean cut = sandbox.kafka().cluster(region).wanProxy().isCut();
            view.append(String.format("%-11s link %s; Kafka %s%n", region, cut ? "CUT" : "up",
                    sandbox.kafka().cluster(region).bootstrapServers()));
            view.append("  pools    ").append(pools.get(region).latest().values().stream()
                    .filter(p -> p.region().equals(region))
                    .map(p -> String.format("%s %.0f%% (%d nodes)", p.pool(), p.load(), p.nodeCount()))
                    .collect(Collectors.joining("  "))).append('\n');
            view.append("  mirrored ").append(mirroredIn.getOrDefault(region, Map.of()).entrySet().stream()
                    .map(e -> e.getValue() + " records from " + e.getKey()).collect(Collectors.joining(", ")))
                    .append('\n');
            view.append("  audit    ").append(auditCounts.getOrDefault(region, "not running")).append('\n');
            RoutingWeights own = weights.get(region).latest().get(region);
            view.append("  weights  ").append(own == null ? "none yet" : describe(own)).append('\n');
        }
        events.forEach(event -> view.append("event     ").append(event).append('\n'));
        out.print(view);
        out.flush();
    }

    private void refresh() {
        for (String region : MultiRegionSandbox.REGIONS) {
            pools.get(region).poll(Duration.ofMillis(50));
            for (RoutingWeights version : weights.get(region).poll(Duration.ofMillis(50))) {
                if (!version.heartbeat() && version.clientRegion().equals(region)) {
                    versions.merge(region, 1L, Long::sum);
                    watch(region, version);
                }
            }
            mirroredIn.put(region, mirroredRecords(region));
            if (sandbox.services().stream().anyMatch(s -> s.name().equals("audit@" + region))) {
                auditCounts.put(region, auditCount(region));
            }
        }
    }

    /** Notes the first version of a zone neighbour of the cut region that drops it (or, after restore, has it). */
    private void watch(String client, RoutingWeights version) {
        if (pending == null || client.equals(pending.region()) || !sameZone(client, pending.region())) {
            return;
        }
        boolean serves = gpuRegions(version).contains(pending.region());
        if (serves != pending.cut()) {
            events.add(String.format("%s %s's weights %s %s, %.1f s after the %s", stamp(version.computedAt()),
                    client, pending.cut() ? "dropped" : "include", pending.region(),
                    Duration.between(pending.at(), version.computedAt()).toMillis() / 1000.0, pending.what()));
            pending = null;
        }
    }

    private boolean sameZone(String a, String b) {
        return sandbox.fleet().current().zoneOf(a).equals(sandbox.fleet().current().zoneOf(b));
    }

    static Set<String> gpuRegions(RoutingWeights version) {
        return version.table(Tier.CORE_GPU).map(TierTable::regions).orElse(List.of()).stream()
                .filter(r -> r.weight() > 0).map(RegionWeight::region).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String describe(RoutingWeights version) {
        Optional<TierTable> gpu = version.table(Tier.CORE_GPU);
        if (gpu.isEmpty() || gpu.get().regions().isEmpty()) {
            return "CORE_GPU none eligible (v" + version.version() + ")";
        }
        double total = gpu.get().regions().stream().mapToDouble(RegionWeight::weight).sum();
        return "CORE_GPU " + gpu.get().regions().stream()
                .sorted((a, b) -> Double.compare(b.weight(), a.weight()))
                .map(r -> String.format("%s %.2f", r.region(), r.weight() / total))
                .collect(Collectors.joining(" · ")) + " (v" + version.version() + ")";
    }

    /** Records on the region's cluster under another region's prefix: what MirrorMaker copied in, per source. */
    private Map<String, Long> mirroredRecords(String region) {
        Admin admin = admins.get(region);
        try {
            Map<TopicPartition, OffsetSpec> request = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            for (var description : admin.describeTopics(admin.listTopics().names().get(2, TimeUnit.SECONDS).stream()
                    .filter(name -> MultiRegionSandbox.REGIONS.stream().anyMatch(r -> name.startsWith(r + ".meridian.")))
                    .toList()).allTopicNames().get(2, TimeUnit.SECONDS).values()) {
                description.partitions().forEach(p -> request.put(new TopicPartition(description.name(),
                        p.partition()), OffsetSpec.latest()));
            }
            Map<String, Long> bySource = new TreeMap<>();
            admin.listOffsets(request).all().get(2, TimeUnit.SECONDS).forEach((tp, info) ->
                    bySource.merge(tp.topic().substring(0, tp.topic().indexOf(".meridian.")), info.offset(), Long::sum));
            return bySource;
        } catch (Exception e) {
            return mirroredIn.getOrDefault(region, Map.of());
        }
    }

    /** The region's audit store: the records its own audit service chained. */
    private String auditCount(String region) {
        try (Connection connection = sandbox.postgres().dataSource(RegionalAudit.database(region)).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit.events WHERE kind = 'RECORD'")) {
            rows.next();
            return rows.getLong(1) + " records in " + RegionalAudit.database(region);
        } catch (SQLException notMigratedYet) {
            return "store not ready";
        }
    }

    String summary() {
        return "weights versions per client region " + versions + "; " + (events.isEmpty() ? "no events"
                : String.join("; ", events));
    }

    private static String stamp(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        List<AutoCloseable> closeables = new ArrayList<>();
        closeables.addAll(weights.values());
        closeables.addAll(pools.values());
        closeables.addAll(admins.values());
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Closing a client of a stopping cluster: nothing left to do.
            }
        }
    }
}
