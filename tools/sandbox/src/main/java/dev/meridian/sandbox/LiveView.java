package dev.meridian.sandbox;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;

import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.Region;
import dev.meridian.testkit.kafka.KafkaCluster;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The console view, redrawn every refresh: plain text, with screen-clearing only when stdout is a terminal so the
 * same output reads well in a log file.
 */
final class LiveView {

    private static final String CLEAR = "\033[H\033[2J";

    private final PrintStream out;
    private final FleetConfig fleet;
    private final Admin admin;
    private final boolean terminal = System.console() != null;
    private Map<String, Long> lastCounts = Map.of();

    LiveView(PrintStream out, FleetConfig fleet, KafkaCluster kafka) {
        this.out = out;
        this.fleet = fleet;
        this.admin = kafka.admin();
    }

    void render() {
        FleetSnapshot snapshot = fleet.current();
        lastCounts = recordCounts();
        StringBuilder view = new StringBuilder();
        if (terminal) {
            view.append(CLEAR);
        }
        view.append("── Meridian sandbox · ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(fleet.isCaughtUp() ? " · registry caught up" : " · registry catching up").append('\n');
        for (Region region : snapshot.regions()) {
            String pools = snapshot.poolsIn(region.name()).stream()
                    .map(p -> String.format("%s %s %d..%d (warm %d, %s)", p.name(), p.tier(), p.minSize(),
                            p.maxSize(), p.warmSize(), p.criticality()))
                    .collect(Collectors.joining("; "));
            view.append(String.format("  %-13s %-5s %s%n", region.name(), region.zone().map(Enum::name).orElse("?"), pools));
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
