package dev.meridian.cost.streams;

import dev.meridian.registry.config.FleetView;
import static dev.meridian.cost.Fixtures.budget;
import static dev.meridian.cost.Fixtures.node;
import static dev.meridian.cost.Fixtures.pool;
import static dev.meridian.cost.Fixtures.price;
import static dev.meridian.cost.Fixtures.region;
import static dev.meridian.cost.Fixtures.scaleIn;
import static dev.meridian.cost.Fixtures.snapshot;
import static dev.meridian.cost.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.AlertBasis;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.policy.cost.BudgetSettings;
import dev.meridian.registry.config.Budget;
import dev.meridian.registry.config.Price;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The topology with explicit wall-clock time. Prices are chosen so seconds convert plainly: on-demand 3.6000 $/h =
 * 0.001 $/s, spot 1.8000 $/h = 0.0005 $/s. The forecast is off (observation period longer than a month), so
 * budget states follow spend alone.
 */
class CostTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final String ON_DEMAND_GPU = "us-east/2026-11-27T10:00:00Z/capacityType=ON_DEMAND,pool=gpu,"
            + "team=search,tier=CORE_GPU";
    private static final String SPOT_BATCH = "us-east/2026-11-27T10:00:00Z/capacityType=SPOT,pool=batch,team=ml,"
            + "tier=CORE_GPU";
    private static final BudgetSettings NO_FORECAST = new BudgetSettings(80, 95, 100, 2, List.of(50, 80, 90, 95, 100),
            Duration.ofHours(800), 10, ZoneId.of("UTC"));

    private TopologyTestDriver driver;
    private TestInputTopic<String, FleetNode> nodes;
    private TestInputTopic<String, NodeUtilization> windows;
    private TestInputTopic<String, ScaleCommand> commands;
    private TestOutputTopic<String, SpendAggregate> spend;
    private TestOutputTopic<String, BudgetStatus> statuses;
    private TestOutputTopic<String, BudgetAlert> alerts;
    private final Map<String, SpendAggregate> latestSpend = new LinkedHashMap<>();
    private final List<BudgetStatus> statusLog = new ArrayList<>();
    private final List<BudgetAlert> alertLog = new ArrayList<>();

    private Instant start = T0;

    private void start(List<Price> prices, List<Budget> budgets) {
        FleetView registry = FleetView.fixed(snapshot(List.of(region("us-east", "US"), region("eu-west", "EU")),
                List.of(pool("us-east", "gpu", CapacityType.ON_DEMAND, Map.of("team", "search")),
                        pool("us-east", "batch", CapacityType.SPOT, Map.of("team", "ml"))),
                prices, budgets));
        CostSettings settings = new CostSettings(Set.of("us-east"), "/test", "USD", Duration.ofSeconds(10),
                Duration.ofMinutes(5), Duration.ofSeconds(1), 3, 10.0, Duration.ofMinutes(2), Duration.ofDays(400),
                Duration.ofSeconds(1), NO_FORECAST);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cost-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        driver = new TopologyTestDriver(CostTopology.build(settings, registry, CostMetrics.NONE), props, start);
        StringSerializer keys = new StringSerializer();
        nodes = driver.createInputTopic(TopicCatalog.FLEET_NODES, keys, ContractSerdes.fleetNode().serializer());
        windows = driver.createInputTopic(TopicCatalog.UTILIZATION_NODE, keys,
                ContractSerdes.nodeUtilization().serializer());
        commands = driver.createInputTopic(TopicCatalog.SCALING_COMMANDS, keys,
                ContractSerdes.scaleCommand().serializer());
        spend = driver.createOutputTopic(TopicCatalog.COST_SPEND, new StringDeserializer(),
                ContractSerdes.spendAggregate().deserializer());
        statuses = driver.createOutputTopic(TopicCatalog.COST_BUDGET_STATUS, new StringDeserializer(),
                ContractSerdes.budgetStatus().deserializer());
        alerts = driver.createOutputTopic(TopicCatalog.COST_ALERTS, new StringDeserializer(),
                ContractSerdes.budgetAlert().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** Advances the wall clock in steps of the tick, collecting what was published. */
    private void advance(Duration duration) {
        for (long s = 0; s < duration.toSeconds(); s += 10) {
            driver.advanceWallClockTime(Duration.ofSeconds(Math.min(10, duration.toSeconds() - s)));
        }
        drain();
    }

    private void drain() {
        for (KeyValue<String, SpendAggregate> kv : spend.readKeyValuesToList()) {
            latestSpend.put(kv.key, kv.value);
        }
        statusLog.addAll(statuses.readValuesToList());
        alertLog.addAll(alerts.readValuesToList());
    }

    private Instant now() {
        return start.plus(elapsed);
    }

    private Duration elapsed = Duration.ZERO;

    private void to(int secondsAfterT0) {
        Duration target = Duration.ofSeconds(secondsAfterT0);
        advance(target.minus(elapsed));
        elapsed = target;
    }

    private void send(FleetNode node) {
        nodes.pipeInput(node.nodeId(), node, now());
        drain();
    }

    @Test
    void chargesANodeFromJoinedToLeftAndRaisesEachAlertOnce() {
        start(List.of(price("us-east", CapacityType.ON_DEMAND, "3.6000")), List.of(budget("global", "0.50")));

        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, T0));
        to(300);
        // 300 s × 0.001 $/s
        assertThat(latestSpend.get(ON_DEMAND_GPU).amount()).isEqualByComparingTo("0.300");
        assertThat(latestSpend.get(ON_DEMAND_GPU).nodeSeconds()).isEqualTo(300);
        // 0.30 of 0.50 = 60 %: the 50 % alert only
        assertThat(alertLog).extracting(BudgetAlert::thresholdPercent).containsExactly(50);

        to(600);
        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, T0.plusSeconds(450)));
        to(900);

        // a tick charged up to 600 s; the LEFT at 450 s took the last 150 s back: 450 s × 0.001 = 0.45
        SpendAggregate hour = latestSpend.get(ON_DEMAND_GPU);
        assertThat(hour.amount()).isEqualTo(new BigDecimal("0.450000000"));
        assertThat(hour.nodeSeconds()).isEqualTo(450);
        assertThat(hour.region()).isEqualTo("us-east");
        assertThat(hour.hourStart()).isEqualTo(T0);
        assertThat(hour.tags()).containsEntry("team", "search").containsEntry("capacityType", "ON_DEMAND");
        // 0.60 (120 %) at 600 s raised 80, 90, 95, 100; the take-back to 90 % raises nothing again
        assertThat(alertLog).extracting(BudgetAlert::thresholdPercent).containsExactly(50, 80, 90, 95, 100);
        assertThat(alertLog).extracting(BudgetAlert::basis).containsOnly(AlertBasis.ACTUAL);
        assertThat(alertLog).extracting(BudgetAlert::alertId).doesNotHaveDuplicates();
        BudgetStatus last = statusLog.get(statusLog.size() - 1);
        // 90 % after EXCEEDED: not above 100 − 2 nor 95 − 2, but above 80 − 2 → WARN
        assertThat(last.state()).isEqualTo(BudgetState.WARN);
        assertThat(last.thresholdsCrossed()).containsExactly(50, 80, 90, 95, 100);
        assertThat(last.forecast()).isNull();
        KeyValueStore<String, BudgetStatus> store = driver.getKeyValueStore(StateStores.COST_BUDGET_STATUS);
        assertThat(store.get("global").spent()).isEqualByComparingTo("0.45");
    }

    @Test
    void aPriceChangeAppliesFromItsEffectiveTimeNeverBefore() {
        Instant change = T0.plusSeconds(100);
        start(List.of(price("us-east", CapacityType.ON_DEMAND, "3.6000", Instant.parse("2026-01-01T00:00:00Z"), change),
                price("us-east", CapacityType.ON_DEMAND, "7.2000", change, null)), List.of());

        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, T0));
        to(200);
        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, T0.plusSeconds(200)));

        // 100 s × 0.001 + 100 s × 0.002 = 0.3
        assertThat(latestSpend.get(ON_DEMAND_GPU).amount()).isEqualByComparingTo("0.3");
        assertThat(latestSpend.get(ON_DEMAND_GPU).nodeSeconds()).isEqualTo(200);
    }

    @Test
    void scaleInEndsAccrualAndIdleCostAndSpotSavingsAreKept() {
        start(List.of(price("us-east", CapacityType.ON_DEMAND, "3.6000"), price("us-east", CapacityType.SPOT, "1.8000")),
                List.of());

        send(node("s1", "us-east", "batch", CapacityType.SPOT, NodeState.JOINED, T0));
        // an idle window (GPU 5 %) and a busy one (GPU 50 %)
        windows.pipeInput("s1", window("s1", "us-east", "batch", CapacityType.SPOT, 5, T0), T0.plusSeconds(15));
        windows.pipeInput("s1", window("s1", "us-east", "batch", CapacityType.SPOT, 50, T0.plusSeconds(10)),
                T0.plusSeconds(25));
        to(60);
        commands.pipeInput("us-east/batch", scaleIn("us-east", "batch", T0.plusSeconds(60), "s1"), T0.plusSeconds(60));
        to(100);
        // ingest: STALE once silent, LEFT minutes later; neither charges the removed node again
        send(node("s1", "us-east", "batch", CapacityType.SPOT, NodeState.STALE, T0.plusSeconds(95)));
        to(400);
        send(node("s1", "us-east", "batch", CapacityType.SPOT, NodeState.LEFT, T0.plusSeconds(400)));
        to(420);

        // 60 s × 0.0005 $/s
        assertThat(latestSpend.get(SPOT_BATCH).amount()).isEqualByComparingTo("0.03");
        assertThat(latestSpend.get(SPOT_BATCH).nodeSeconds()).isEqualTo(60);
        KeyValueStore<String, EfficiencyLine> efficiency = driver.getKeyValueStore(StateStores.COST_EFFICIENCY);
        EfficiencyLine line = efficiency.get(Keys.hourFirst(T0, SPOT_BATCH));
        // idle: the one 10 s window below 10 % × 0.0005 = 0.005; savings: 60 s × (0.001 − 0.0005) = 0.03
        assertThat(line.idleAmount()).isEqualByComparingTo("0.005");
        assertThat(line.idleNodeSeconds()).isEqualTo(10);
        assertThat(line.spotSavings()).isEqualByComparingTo("0.03");
    }

    @Test
    void mirroredAggregatesOfAnotherRegionCountInTheGlobalBudget() {
        start(List.of(price("us-east", CapacityType.ON_DEMAND, "3.6000")),
                List.of(budget("global", "0.50"), budget("region:us-east", "1.00")));
        TestInputTopic<String, SpendAggregate> mirrored = driver.createInputTopic(
                "eu-west." + TopicCatalog.COST_SPEND, new StringSerializer(), ContractSerdes.spendAggregate().serializer());

        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, T0));
        to(100);
        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, T0.plusSeconds(100)));
        Map<String, String> tags = Map.of("pool", "gpu", "tier", "CORE_GPU", "capacityType", "ON_DEMAND");
        SpendAggregate euWest = new SpendAggregate(SpendAggregate.key("eu-west", T0, tags), "eu-west", T0, tags,
                new BigDecimal("0.350000000"), "USD", 350, T0.plusSeconds(90));
        mirrored.pipeInput(euWest.id(), euWest, now());
        to(110);

        KeyValueStore<String, BudgetStatus> store = driver.getKeyValueStore(StateStores.COST_BUDGET_STATUS);
        // global: 0.10 (us-east, 100 s) + 0.35 (eu-west) = 0.45 of 0.50 = 90 %; us-east alone 0.10 of 1.00 = 10 %
        assertThat(store.get("global").spent()).isEqualByComparingTo("0.45");
        assertThat(store.get("global").state()).isEqualTo(BudgetState.WARN);
        assertThat(store.get("region:us-east").spent()).isEqualByComparingTo("0.10");
        assertThat(store.get("region:us-east").state()).isEqualTo(BudgetState.OK);
        assertThat(alertLog).filteredOn(a -> a.scope().equals("global")).extracting(BudgetAlert::thresholdPercent)
                .containsExactly(50, 80, 90);
        assertThat(alertLog).filteredOn(a -> a.scope().equals("region:us-east")).isEmpty();
    }

    /**
     * CostTwoRegionsIT's failure, deterministically: its nodes' JOINED and LEFT were both already past when sent, and
     * a wall-clock tick ran between the two (they reach the accrual task in separate transactions of the
     * repartition topic). The tick charges the running node up to the clock, past its LEFT; with the other region's
     * spend the global budget passes 100 % until the LEFT takes the overcharge back, and the alerts stay raised.
     */
    @Test
    void aTickBetweenAJoinedAndAnAlreadyPastLeftCountsTheOverchargeInTheGlobalBudget() {
        startWithEuWestSpendMirrored();

        // sent at T0: joined 60 s ago; its LEFT (15 s ago) comes only after the tick at T0 + 10 s
        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, T0.minusSeconds(60)));
        to(20);
        // charged up to the clock: at least 70 s = 0.070 by T0 + 10 s, with eu-west's 0.040 at least 110 %
        KeyValueStore<String, BudgetStatus> store = driver.getKeyValueStore(StateStores.COST_BUDGET_STATUS);
        assertThat(store.get("global").spent()).isGreaterThanOrEqualTo(new BigDecimal("0.110"));
        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, T0.minusSeconds(15)));
        to(30);

        // 45 s + 40 s = 0.085 (85 %), but 90/95/100 % were reached in between and stay alerted
        assertThat(store.get("global").spent()).isEqualByComparingTo("0.085");
        assertThat(store.get("global").thresholdsCrossed()).containsExactly(50, 80, 90, 95, 100);
        assertThat(alertLog).extracting(BudgetAlert::thresholdPercent).containsExactly(50, 80, 90, 95, 100);
    }

    /**
     * The timing CostTwoRegionsIT uses now: a LEFT not earlier than the ticks before it is applied, so a tick between
     * the JOINED and the LEFT charges no more than the node's final time and the alerts follow the final 85 %.
     */
    @Test
    void aTickBetweenAJoinedAndALeftNotYetPastChargesNothingToTakeBack() {
        startWithEuWestSpendMirrored();

        // joined 30 s ago, leaving at T0 + 15 s; the tick at T0 + 10 s runs between the two records
        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, T0.minusSeconds(30)));
        to(10);
        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, T0.plusSeconds(15)));
        to(30);

        // 40 s by the tick + 5 s by the LEFT = 0.045, with eu-west's 0.040 = 85 %, never more
        KeyValueStore<String, BudgetStatus> store = driver.getKeyValueStore(StateStores.COST_BUDGET_STATUS);
        assertThat(store.get("global").spent()).isEqualByComparingTo("0.085");
        assertThat(store.get("global").state()).isEqualTo(BudgetState.WARN);
        assertThat(store.get("global").thresholdsCrossed()).containsExactly(50, 80);
        assertThat(alertLog).extracting(BudgetAlert::thresholdPercent).containsExactly(50, 80);
    }

    @Test
    void theMonthRollsOverAtMidnightUtcAndEachMonthAlertsAfresh() {
        start = Instant.parse("2026-11-30T23:58:00Z");
        start(List.of(price("us-east", CapacityType.ON_DEMAND, "3.6000")), List.of(budget("global", "0.20")));

        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, start));
        to(110);
        // November: 110 s = 0.11 of 0.20 = 55 %
        assertThat(alertLog).extracting(BudgetAlert::alertId).containsExactly("global/2026-11/50");
        to(240);
        send(node("n1", "us-east", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, start.plusSeconds(240)));
        to(300);

        KeyValueStore<String, BudgetStatus> store = driver.getKeyValueStore(StateStores.COST_BUDGET_STATUS);
        BudgetStatus december = store.get("global");
        // 1 December 00:00–00:02 alone: 120 s = 0.12 (60 %); November's 120 s stay in November
        assertThat(december.month()).isEqualTo("2026-12");
        assertThat(december.spent()).isEqualByComparingTo("0.12");
        assertThat(december.thresholdsCrossed()).containsExactly(50);
        assertThat(alertLog).extracting(BudgetAlert::alertId).containsExactly("global/2026-11/50", "global/2026-12/50");
        assertThat(latestSpend.get("us-east/2026-11-30T23:00:00Z/capacityType=ON_DEMAND,pool=gpu,team=search,"
                + "tier=CORE_GPU").amount()).isEqualByComparingTo("0.12");
    }

    /** us-east at 0.001 $/s under a global budget of 0.10, with eu-west's 0.040 already mirrored in (40 %). */
    private void startWithEuWestSpendMirrored() {
        start(List.of(price("us-east", CapacityType.ON_DEMAND, "3.6000")), List.of(budget("global", "0.10")));
        TestInputTopic<String, SpendAggregate> mirrored = driver.createInputTopic(
                "eu-west." + TopicCatalog.COST_SPEND, new StringSerializer(), ContractSerdes.spendAggregate().serializer());
        Map<String, String> tags = Map.of("pool", "gpu", "tier", "CORE_GPU", "capacityType", "ON_DEMAND");
        SpendAggregate euWest = new SpendAggregate(SpendAggregate.key("eu-west", T0, tags), "eu-west", T0, tags,
                new BigDecimal("0.040000000"), "USD", 40, T0);
        mirrored.pipeInput(euWest.id(), euWest, now());
    }
}
