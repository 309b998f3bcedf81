package dev.meridian.scaler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.ActionStatus;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.scaler.Fleet;
import dev.meridian.scaler.MutableClock;
import dev.meridian.scaler.metrics.MicrometerScalerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scaler's topology, driven record by record with a hand-moved clock. */
class ScalerTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final NodePool GPU_CORE = Fleet.pool("us-east", "gpu-core", 2, 16, 0, CapacityType.ON_DEMAND,
            Criticality.CRITICAL, Map.of("team", "search"));
    private static final NodePool BATCH = Fleet.pool("us-east", "batch", 1, 8, 0, CapacityType.SPOT,
            Criticality.LOW, Map.of("team", "research"));
    /** A pool with a warm pool of 2: the scaler refills it and remembers the nodes that arrive for it as warm. */
    private static final NodePool GPU_WARM = Fleet.pool("us-east", "gpu-warm", 2, 16, 2, CapacityType.ON_DEMAND,
            Criticality.CRITICAL, Map.of());
    private static final NodePool EU_CORE = Fleet.pool("eu-west", "gpu-core", 2, 16, 0, CapacityType.ON_DEMAND,
            Criticality.CRITICAL, Map.of());

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, PoolUtilization> windows;
    private TestInputTopic<String, FleetNode> inventory;
    private TestInputTopic<String, NodeUtilization> nodeWindows;
    private TestInputTopic<String, Interruption> interruptions;
    private TestInputTopic<String, BudgetStatus> budgets;
    private TestOutputTopic<String, ScaleCommand> commands;
    private TestInputTopic<String, OperatorAction> operatorActions;
    private TestOutputTopic<String, ActionResult> results;

    @BeforeEach
    void start() {
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(Fleet.region("us-east", "US"), Fleet.region("eu-west", "EU")), List.of(), List.of(GPU_CORE, BATCH, GPU_WARM, EU_CORE), List.of(),
                List.of(), List.of());
        ScalingSettings base = ScalingSettings.DEFAULTS.withDeadlines(Duration.ofSeconds(60), Duration.ofMinutes(5));
        ScalerTopology.Settings settings = new ScalerTopology.Settings(() -> fleet, base,
                Set.of("us-east"), Duration.ofSeconds(1), "/test/scaler", clock);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scaler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(ScalerTopology.build(settings, new MicrometerScalerMetrics(meters)), props, T0);
        windows = driver.createInputTopic(TopicCatalog.UTILIZATION_POOL, Serdes.String().serializer(),
                ContractSerdes.poolUtilization().serializer());
        inventory = driver.createInputTopic(TopicCatalog.FLEET_NODES, Serdes.String().serializer(),
                ContractSerdes.fleetNode().serializer());
        nodeWindows = driver.createInputTopic(TopicCatalog.UTILIZATION_NODE, Serdes.String().serializer(),
                ContractSerdes.nodeUtilization().serializer());
        interruptions = driver.createInputTopic(TopicCatalog.FLEET_INTERRUPTIONS, Serdes.String().serializer(),
                ContractSerdes.interruption().serializer());
        budgets = driver.createInputTopic(TopicCatalog.COST_BUDGET_STATUS, Serdes.String().serializer(),
                ContractSerdes.budgetStatus().serializer());
        commands = driver.createOutputTopic(TopicCatalog.SCALING_COMMANDS, Serdes.String().deserializer(),
                ContractSerdes.scaleCommand().deserializer());
        operatorActions = driver.createInputTopic(TopicCatalog.OPERATOR_ACTIONS, Serdes.String().serializer(),
                ContractSerdes.operatorAction().serializer());
        results = driver.createOutputTopic(TopicCatalog.OPERATOR_ACTION_RESULTS, Serdes.String().deserializer(),
                ContractSerdes.actionResult().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void sustainedLoadScalesOutAfterExactlyTheSustainPeriod() {
        joined("us-east", "gpu-core", CapacityType.ON_DEMAND, "n-1", "n-2", "n-3", "n-4");

        window("us-east", "gpu-core", 0, 95);
        window("us-east", "gpu-core", 1, 95);
        assertThat(commands.isEmpty()).as("two hot windows are not the sustain period").isTrue();
        window("us-east", "gpu-core", 2, 95);

        TestRecord<String, ScaleCommand> record = commands.readRecord();
        ScaleCommand command = record.value();
        assertThat(record.key()).isEqualTo("us-east/gpu-core");
        // ceil(4 × 95 / 60) = ceil(6.33) = 7, within max 16 and step 4
        assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
        assertThat(command.currentNodes()).isEqualTo(4);
        assertThat(command.desiredNodes()).isEqualTo(7);
        assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z");
        assertThat(command.urgency()).isEqualTo(Criticality.CRITICAL);
        assertThat(new String(record.headers().lastHeader(CloudEventHeaders.ID).value()))
                .as("the CloudEvents id is the command id, so consumers can drop redeliveries")
                .isEqualTo(command.commandId());
        assertThat(commands.isEmpty()).isTrue();
        assertThat(meters.get("meridian.scaler.commands").tag("action", "SCALE_OUT").counter().count()).isEqualTo(1);
        assertThat(meters.get("meridian.scaler.reaction").timer().count()).isEqualTo(1);
    }

    @Test
    void capacityAlreadyRequestedIsNotRequestedAgainDuringTheColdStart() {
        joined("us-east", "gpu-core", CapacityType.ON_DEMAND, "n-1", "n-2", "n-3", "n-4");
        for (int k = 0; k < 3; k++) {
            window("us-east", "gpu-core", k, 95);
        }
        assertThat(commands.readValue().desiredNodes()).isEqualTo(7);

        // the same load for three more windows while the 3 nodes boot: current is 4 ready + 3 pending = 7
        for (int k = 3; k < 6; k++) {
            window("us-east", "gpu-core", k, 95);
        }
        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void warmNodesAreLeftOutOfTheLoadTheScaleOutSustainsOver() {
        joined("us-east", "gpu-warm", CapacityType.ON_DEMAND, "s-1", "s-2");
        window("us-east", "gpu-warm", 0, 50);
        // the empty warm pool is refilled; the two nodes that then arrive, unmarked, are its warm nodes
        assertThat(commands.readValue().commandId()).isEqualTo("us-east/gpu-warm/SCALE_OUT/warm/2026-11-27T10:00:10Z");
        joined("us-east", "gpu-warm", CapacityType.ON_DEMAND, "w-1", "w-2");

        // serving at 90 %, warm idle: ingest's pool window averages (90 + 90 + 0 + 0) / 4 = 45 %, never above 80 %
        for (int k = 1; k <= 3; k++) {
            nodeWindows.pipeInput("s-1", Fleet.nodeWindow("us-east", "gpu-warm", "s-1", T0, k, 90));
            nodeWindows.pipeInput("s-2", Fleet.nodeWindow("us-east", "gpu-warm", "s-2", T0, k, 90));
            nodeWindows.pipeInput("w-1", Fleet.nodeWindow("us-east", "gpu-warm", "w-1", T0, k, 0));
            nodeWindows.pipeInput("w-2", Fleet.nodeWindow("us-east", "gpu-warm", "w-2", T0, k, 0));
            window("us-east", "gpu-warm", k, 45);
        }

        // 90 % on the serving nodes for 3 windows: ceil(2 × 90 / 60) = 3, one warm node activated, the warm pool
        // refilled by one
        List<ScaleCommand> decided = commands.readValuesToList();
        assertThat(decided).extracting(ScaleCommand::action)
                .containsExactly(ScaleAction.ACTIVATE_WARM, ScaleAction.SCALE_OUT);
        assertThat(decided.get(0).nodes()).containsExactly("w-1");
        assertThat(decided.get(0).currentNodes()).isEqualTo(2);
        assertThat(decided.get(0).desiredNodes()).isEqualTo(3);
        assertThat(decided.get(0).reason()).startsWith("gpu 90 % > 80 % for 3 windows (serving nodes only, 2 warm "
                + "left out)");
        assertThat(decided.get(1).commandId()).isEqualTo("us-east/gpu-warm/SCALE_OUT/warm/2026-11-27T10:00:40Z");
    }

    @Test
    void poolsOfOtherRegionsAreNeverActedOn() {
        joined("eu-west", "gpu-core", CapacityType.ON_DEMAND, "e-1", "e-2");
        for (int k = 0; k < 4; k++) {
            window("eu-west", "gpu-core", k, 99);
        }
        interruptions.pipeInput("e-1", Fleet.interruption("eu-west", "gpu-core", "e-1", clock.instant()));

        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void anUnknownPoolIsSkippedAndCounted() {
        for (int k = 0; k < 3; k++) {
            window("us-east", "not-in-registry", k, 99);
        }

        assertThat(commands.isEmpty()).isTrue();
        assertThat(meters.get("meridian.scaler.skipped").tag("reason", "unknown-pool").counter().count())
                .isEqualTo(3);
    }

    @Test
    void aLowPoolUnderAnExceededBudgetIsDeferredAndScalesOnceTheBudgetRecovers() {
        joined("us-east", "batch", CapacityType.SPOT, "b-1", "b-2");
        budgets.pipeInput("team:research", Fleet.budget("team:research", BudgetState.EXCEEDED, T0));
        for (int k = 0; k < 3; k++) {
            window("us-east", "batch", k, 90);
        }

        ScaleCommand deferred = commands.readValue();
        assertThat(deferred.action()).isEqualTo(ScaleAction.DEFERRED);
        assertThat(deferred.deferredAction()).isEqualTo(ScaleAction.SCALE_OUT);
        assertThat(deferred.budgetState()).isEqualTo(BudgetState.EXCEEDED);
        assertThat(commands.isEmpty()).isTrue();

        // another scope's budget does not govern the pool: still held back, and not re-published
        budgets.pipeInput("team:search", Fleet.budget("team:search", BudgetState.OK, T0));
        window("us-east", "batch", 3, 90);
        assertThat(commands.isEmpty()).isTrue();

        budgets.pipeInput("team:research", Fleet.budget("team:research", BudgetState.OK, T0));
        window("us-east", "batch", 4, 90);
        ScaleCommand released = commands.readValue();
        assertThat(released.action()).isEqualTo(ScaleAction.SCALE_OUT);
        // ceil(2 × 90 / 60) = 3
        assertThat(released.desiredNodes()).isEqualTo(3);
        assertThat(released.budgetState()).isEqualTo(BudgetState.OK);
    }

    @Test
    void anInterruptedSpotNodeIsDrainedAndReplacedAtOnceThenRemovedAfterTheDrainPeriod() {
        joined("us-east", "batch", CapacityType.SPOT, "b-1", "b-2");
        window("us-east", "batch", 0, 50);
        clock.advance(Duration.ofSeconds(5));

        interruptions.pipeInput("b-2", Fleet.interruption("us-east", "batch", "b-2", clock.instant()));

        List<ScaleCommand> atOnce = commands.readValuesToList();
        assertThat(atOnce).extracting(ScaleCommand::action).containsExactly(ScaleAction.DRAIN, ScaleAction.REPLACE);
        assertThat(atOnce.get(0).nodes()).containsExactly("b-2");
        assertThat(atOnce.get(1).nodes()).containsExactly("b-2");
        // the pool allows fallback: the replacement is on demand
        assertThat(atOnce.get(1).capacityType()).isEqualTo(CapacityType.ON_DEMAND);

        clock.advance(Duration.ofSeconds(59));
        driver.advanceWallClockTime(Duration.ofSeconds(59));
        assertThat(commands.isEmpty()).as("the drain period is not over").isTrue();

        clock.advance(Duration.ofSeconds(2));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        ScaleCommand scaleIn = commands.readValue();
        assertThat(scaleIn.action()).isEqualTo(ScaleAction.SCALE_IN);
        assertThat(scaleIn.nodes()).containsExactly("b-2");

        // the notice again (a redelivery) changes nothing
        interruptions.pipeInput("b-2", Fleet.interruption("us-east", "batch", "b-2", T0.plusSeconds(15)));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void aWindowDeliveredTwiceDecidesOnce() {
        joined("us-east", "gpu-core", CapacityType.ON_DEMAND, "n-1", "n-2", "n-3", "n-4");
        for (int k = 0; k < 3; k++) {
            window("us-east", "gpu-core", k, 95);
        }
        assertThat(commands.readValuesToList()).hasSize(1);

        window("us-east", "gpu-core", 2, 95);

        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void anActionIsTakenUpAtOnceAndAnsweredUnderItsIdAndAReplayOnlyRebuildsTheHolds() {
        joined("us-east", "gpu-core", CapacityType.ON_DEMAND, "n-1", "n-2", "n-3");
        OperatorAction drain = action("a-drain", ActionKind.DRAIN, "n-2", clock.instant());
        operatorActions.pipeInput(drain.key(), drain);

        TestRecord<String, ActionResult> applied = results.readRecord();
        assertThat(applied.key()).isEqualTo("a-drain");
        assertThat(applied.value().status()).isEqualTo(ActionStatus.APPLIED);
        ScaleCommand command = commands.readValue();
        assertThat(command.action()).isEqualTo(ScaleAction.DRAIN);
        assertThat(command.nodes()).containsExactly("n-2");
        assertThat(command.requestedBy()).isEqualTo("apac-op");

        OperatorAction unknown = action("a-unknown", ActionKind.DRAIN, "n-9", clock.instant());
        operatorActions.pipeInput(unknown.key(), unknown);
        ActionResult rejected = results.readValue();
        assertThat(rejected.status()).isEqualTo(ActionStatus.REJECTED);
        assertThat(rejected.reason()).contains("n-9");
        assertThat(commands.isEmpty()).isTrue();
        assertThat(meters.get("meridian.scaler.operator.actions").tag("kind", "DRAIN").tag("status", "REJECTED")
                .counter().count()).isEqualTo(1);

        // An action from before the result window (a fresh instance replaying the compacted topic) holds, unanswered.
        OperatorAction old = action("a-old", ActionKind.CORDON, "n-3", clock.instant().minus(Duration.ofDays(2)));
        operatorActions.pipeInput(old.key(), old);
        assertThat(results.isEmpty()).isTrue();
    }

    @Test
    void aNodeThatLeavesTakesItsCordonWithItAsATombstoneOfItsSlot() {
        joined("us-east", "gpu-core", CapacityType.ON_DEMAND, "n-1", "n-2");
        TestOutputTopic<String, OperatorAction> slots = driver.createOutputTopic(TopicCatalog.OPERATOR_ACTIONS,
                Serdes.String().deserializer(), ContractSerdes.operatorAction().deserializer());
        OperatorAction cordon = action("a-cordon", ActionKind.CORDON, "n-2", clock.instant());
        operatorActions.pipeInput(cordon.key(), cordon);
        assertThat(results.readValue().status()).isEqualTo(ActionStatus.APPLIED);

        inventory.pipeInput("n-2", Fleet.node("us-east", "gpu-core", "n-2", CapacityType.ON_DEMAND, NodeState.LEFT,
                clock.instant()));

        TestRecord<String, OperatorAction> tombstone = slots.readRecord();
        assertThat(tombstone.key()).isEqualTo(cordon.key());
        assertThat(tombstone.value()).isNull();
        assertThat(slots.isEmpty()).isTrue();
    }

    @Test
    void anotherRegionsActionIsNotThisScalersToTakeUp() {
        OperatorAction elsewhere = new OperatorAction("a-eu", ActionKind.PAUSE, "eu-west", "gpu-core", null, null,
                null, null, "eu-op", null, clock.instant());
        operatorActions.pipeInput(elsewhere.key(), elsewhere);

        assertThat(results.isEmpty()).isTrue();
        assertThat(commands.isEmpty()).isTrue();
    }

    private static OperatorAction action(String id, ActionKind kind, String node, Instant at) {
        return new OperatorAction(id, kind, "us-east", "gpu-core", node, null, null, null, "apac-op", "test", at);
    }

    private void joined(String region, String pool, CapacityType capacity, String... nodeIds) {
        for (String id : nodeIds) {
            inventory.pipeInput(id, Fleet.node(region, pool, id, capacity, NodeState.JOINED, clock.instant()));
        }
    }

    /** Window k, on its topic one second after it closed, when the clock says so too. */
    private void window(String region, String pool, int k, double gpu) {
        PoolUtilization window = Fleet.window(region, pool, T0, k, gpu);
        Instant onTopic = window.windowEnd().plusSeconds(1);
        clock.set(onTopic);
        windows.pipeInput(new TestRecord<>(window.key(), window, onTopic));
    }
}
