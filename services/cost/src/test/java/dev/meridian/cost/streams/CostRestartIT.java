package dev.meridian.cost.streams;

import static dev.meridian.cost.Fixtures.budget;
import static dev.meridian.cost.Fixtures.node;
import static dev.meridian.cost.Fixtures.pool;
import static dev.meridian.cost.Fixtures.price;
import static dev.meridian.cost.Fixtures.region;
import static dev.meridian.cost.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.cost.Broker;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart keeps the month's spend. The second instance starts on an empty state directory, so everything it knows
 * comes back from the changelog topics: meters, open hours, the month's aggregates and the alerted thresholds.
 * Without them the late LEFT would find no meter (the overcharge would stay published), the month total would restart
 * from zero and the 50 % alert would be raised again.
 */
class CostRestartIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    @TempDir
    Path stateDirs;

    @Test
    void aRestartOnEmptyLocalStateRestoresLedgerMonthAndAlertsFromTheChangelogs() {
        // 3.6000 $/h = 0.001 $/s; budget 0.25: 50 % is 125 s of the node, 80 % 200 s
        FleetSnapshot registry = snapshot(List.of(region("us-east", "US")),
                List.of(pool("us-east", "gpu", CapacityType.ON_DEMAND, Map.of())),
                List.of(price("us-east", CapacityType.ON_DEMAND, "3.6000")), List.of(budget("global", "0.25")));
        Instant t0 = Instant.now().minusSeconds(130).truncatedTo(ChronoUnit.SECONDS);
        String bootstrap = KAFKA.bootstrapServers();
        try (Broker broker = new Broker(bootstrap);
                Broker.Reader<SpendAggregate> spend = broker.reader(TopicCatalog.COST_SPEND,
                        ContractSerdes.spendAggregate().deserializer());
                Broker.Reader<BudgetStatus> statuses = broker.reader(TopicCatalog.COST_BUDGET_STATUS,
                        ContractSerdes.budgetStatus().deserializer());
                Broker.Reader<BudgetAlert> alerts = broker.reader(TopicCatalog.COST_ALERTS,
                        ContractSerdes.budgetAlert().deserializer())) {
            KafkaStreams first = Streams.start("cost-restart-it", bootstrap, stateDirs.resolve("first"),
                    Streams.settings("us-east"), registry);
            broker.send("n1", node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, t0));
            // charged up to now (≥ 130 s = 0.13 = 52 %): the 50 % alert is out
            await().atMost(Duration.ofSeconds(30)).until(() -> alerts.poll().size() == 1);
            assertThat(total(spend)).isGreaterThanOrEqualTo(new BigDecimal("0.13"));
            Streams.stop(first);

            KafkaStreams second = Streams.start("cost-restart-it", bootstrap, stateDirs.resolve("second"),
                    Streams.settings("us-east"), registry);
            try {
                // ingest's late LEFT at 126 s: the restored meter takes the charge after it back
                broker.send("n1", node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT,
                        t0.plusSeconds(126)));
                await().atMost(Duration.ofSeconds(30)).until(() -> total(spend).compareTo(new BigDecimal("0.126")) == 0);
                assertThat(spend.latestBy(SpendAggregate::id).values()).extracting(SpendAggregate::nodeSeconds)
                        .as("126 s in one hour, or split across two").matches(s -> s.stream()
                                .mapToLong(Long::longValue).sum() == 126);
                // the month's spend after the restart is the whole 0.126 (50.4 %): the 50 % alert is not raised again
                // (from the store, as the API reads it: the topic gets a status only when state or thresholds change)
                await().atMost(Duration.ofSeconds(30)).until(() -> Streams.status(second, "global"),
                        s -> s != null && s.spent().compareTo(new BigDecimal("0.126")) == 0);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                        .until(() -> alerts.poll().size() == 1);
                assertThat(alerts.poll()).singleElement().satisfies(a -> {
                    assertThat(a.alertId()).endsWith("/50");
                    assertThat(a.scope()).isEqualTo("global");
                });
                assertThat(statuses.latestBy(BudgetStatus::scope).get("global").thresholdsCrossed()).containsExactly(50);
            } finally {
                Streams.stop(second);
            }
        }
    }

    private static BigDecimal total(Broker.Reader<SpendAggregate> spend) {
        return spend.latestBy(SpendAggregate::id).values().stream().map(SpendAggregate::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
