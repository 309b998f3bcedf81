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
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.cost.Broker;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.testkit.kafka.KafkaCluster;
import dev.meridian.testkit.mirror.MirrorMakerRunner;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two regions, two Kafka clusters, MirrorMaker 2 copying each region's {@code meridian.cost.spend.v1} to the other
 * (as {@code <alias>.meridian.cost.spend.v1}): each region's instance prices only its own nodes, and both compute the
 * same global budget state from their own and the mirrored aggregates.
 */
class CostTwoRegionsIT {

    @TempDir
    Path stateDirs;

    @Test
    void eachRegionComputesTheGlobalBudgetFromItsOwnAndTheMirroredSpend() {
        // 3.6000 $/h = 0.001 $/s in both; global budget 0.10
        FleetSnapshot registry = snapshot(List.of(region("us-east", "US"), region("eu-west", "EU")),
                List.of(pool("us-east", "gpu", CapacityType.ON_DEMAND, Map.of()),
                        pool("eu-west", "gpu", CapacityType.ON_DEMAND, Map.of())),
                List.of(price("us-east", CapacityType.ON_DEMAND, "3.6000"),
                        price("eu-west", CapacityType.ON_DEMAND, "3.6000")),
                List.of(budget("global", "0.10"), budget("region:us-east", "0.10")));
        String spendTopic = "meridian\\.cost\\.spend\\.v1";
        try (KafkaCluster us = KafkaCluster.builder().name("us-east").createCatalogTopics(true).start();
                KafkaCluster eu = KafkaCluster.builder().name("eu-west").createCatalogTopics(true).start();
                MirrorMakerRunner mirror = MirrorMakerRunner.builder().cluster(us).cluster(eu)
                        .flow("us-east", "eu-west", spendTopic).flow("eu-west", "us-east", spendTopic).start();
                Broker usBroker = new Broker(us.bootstrapServers());
                Broker euBroker = new Broker(eu.bootstrapServers())) {
            mirror.awaitRunning(Duration.ofSeconds(60));
            KafkaStreams usCost = Streams.start("cost-us-east", us.bootstrapServers(), stateDirs.resolve("us"),
                    Streams.settings("us-east"), registry);
            KafkaStreams euCost = Streams.start("cost-eu-west", eu.bootstrapServers(), stateDirs.resolve("eu"),
                    Streams.settings("eu-west"), registry);
            try {
                // Both LEFTs lie 10 s after the sends, taken only now that clusters, mirror and instances run (that
                // start-up takes 15 s and more on a loaded machine). A wall-clock tick between a JOINED and its LEFT
                // charges the running node up to the clock; were the LEFT already past, that overcharge (every
                // second past it, per region) would count in the global budget until the LEFT takes it back, and the
                // 90/95/100 % alerts it raised stay raised (CostTopologyTest pins both). Here a tick charges at most
                // up to the LEFT, so no moment sees more than the final 85 %.
                Instant left = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
                // us-east: 45 s = 0.045 (45 %); eu-west: 40 s = 0.040 (40 %); together 0.085 = 85 %
                usBroker.send("u1", node("u1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED,
                        left.minusSeconds(45)));
                usBroker.send("u1", node("u1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, left));
                euBroker.send("e1", node("e1", "eu-west", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED,
                        left.minusSeconds(40)));
                euBroker.send("e1", node("e1", "eu-west", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, left));

                for (Broker broker : List.of(usBroker, euBroker)) {
                    KafkaStreams cost = broker == usBroker ? usCost : euCost;
                    try (Broker.Reader<BudgetStatus> statuses = broker.reader(TopicCatalog.COST_BUDGET_STATUS,
                            ContractSerdes.budgetStatus().deserializer());
                            Broker.Reader<BudgetAlert> alerts = broker.reader(TopicCatalog.COST_ALERTS,
                                    ContractSerdes.budgetAlert().deserializer())) {
                        BudgetStatus global = await().atMost(Duration.ofSeconds(60)).until(
                                () -> statuses.latestBy(BudgetStatus::scope).get("global"),
                                s -> s != null && s.spent().compareTo(new BigDecimal("0.085")) == 0);
                        assertThat(global.state()).isEqualTo(BudgetState.WARN);
                        assertThat(global.thresholdsCrossed()).containsExactly(50, 80);
                        // us-east alone: 0.045 of 0.10, below every threshold, in both regions' view (read from
                        // the store: the topic gets a status only when state, month or thresholds change)
                        BudgetStatus usEast = await().atMost(Duration.ofSeconds(10)).until(
                                () -> Streams.status(cost, "region:us-east"),
                                s -> s != null && s.spent().compareTo(new BigDecimal("0.045")) == 0);
                        assertThat(usEast.spent()).isEqualByComparingTo("0.045");
                        assertThat(usEast.state()).isEqualTo(BudgetState.OK);
                        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(
                                () -> alerts.poll().stream().filter(a -> a.scope().equals("global")).count() == 2);
                        assertThat(alerts.poll()).filteredOn(a -> a.scope().equals("global"))
                                .extracting(BudgetAlert::thresholdPercent).containsExactlyInAnyOrder(50, 80);
                    }
                }
                assertThat(us.admin().listTopics().names().get()).contains("eu-west." + TopicCatalog.COST_SPEND);
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError(e);
            } finally {
                Streams.stop(usCost);
                Streams.stop(euCost);
            }
        }
    }
}
