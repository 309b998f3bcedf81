package dev.meridian.policy.cost;

import static dev.meridian.policy.cost.CostFixtures.CATALOG;
import static dev.meridian.policy.cost.CostFixtures.at;
import static dev.meridian.policy.cost.CostFixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryCorrectionsTest {

    private static final Duration GRACE = Duration.ofMinutes(2);

    private static ScaleCommand command(ScaleAction action, Instant at, String... nodes) {
        ScaleAction deferred = action == ScaleAction.DEFERRED ? ScaleAction.SCALE_OUT : null;
        return new ScaleCommand("c-" + at, "us-east", "gpu", action, deferred, at, null, 3, 2, -1, CostFixtures.GPU,
                null, CapacityType.ON_DEMAND, Criticality.NORMAL, BudgetState.OK, false, List.of(nodes), "test");
    }

    private static NodeUtilization window(String nodeId, Instant start) {
        return new NodeUtilization(nodeId, "us-east", "us-east-1a", "gpu", Tier.CORE_GPU, CostFixtures.GPU,
                CapacityType.ON_DEMAND, start, start.plusSeconds(10), 10, 50, 50, 40, 20, 30, 1, 1, null, null);
    }

    /** Applies records as the service does: corrections first, then the ledger. */
    private static CostLedger apply(CostLedger ledger, FleetNode record, Instant now) {
        if (!InventoryCorrections.admit(record, ledger.meters().get(record.nodeId()))) {
            return ledger;
        }
        return ledger.onNode(record, Map.of(), CATALOG, now).ledger();
    }

    @Test
    void scaleInEndsAccrualAtTheCommandAndTheLaterStaleAndLeftChangeNothing() {
        CostLedger ledger = CostLedger.startingAt(at("10:00:00"), CostLedger.DEFAULT_LATENESS);
        ledger = apply(ledger, node("n1", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, at("10:40:00")),
                at("10:40:00"));
        ledger = ledger.tick(at("10:45:00"), CATALOG).ledger();

        List<FleetNode> leaves = InventoryCorrections.leaves(command(ScaleAction.SCALE_IN, at("10:42:00"), "n1", "n9"),
                ledger.meters());
        assertThat(leaves).singleElement().satisfies(l -> {
            assertThat(l.nodeId()).isEqualTo("n1");
            assertThat(l.state()).isEqualTo(NodeState.LEFT);
            assertThat(l.since()).isEqualTo(at("10:42:00"));
        });
        for (FleetNode leave : leaves) {
            ledger = apply(ledger, leave, at("10:45:00"));
        }
        // ingest: STALE 35 s later, LEFT 5 min after the last sample
        ledger = apply(ledger, node("n1", "gpu", CapacityType.ON_DEMAND, NodeState.STALE, at("10:42:35")),
                at("10:42:35"));
        ledger = apply(ledger, node("n1", "gpu", CapacityType.ON_DEMAND, NodeState.LEFT, at("10:47:00")),
                at("10:47:00"));
        LedgerStep step = ledger.tick(at("10:50:00"), CATALOG);

        // 10:40 → 10:42 on demand, after the 10:30 price change (1.2000 $/h): 120 s × 1.2000 / 3600 = 0.04
        BigDecimal total = step.ledger().buckets().values().stream().map(SpendBucket::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(total).isEqualByComparingTo("0.04");
        assertThat(step.ledger().meters().get("n1").running()).isFalse();
    }

    @Test
    void onlyScaleInOfThisRegionsRunningNodesEndsAccrual() {
        CostLedger ledger = CostLedger.startingAt(at("10:00:00"), CostLedger.DEFAULT_LATENESS);
        ledger = apply(ledger, node("n1", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, at("10:40:00")),
                at("10:40:00"));

        assertThat(InventoryCorrections.leaves(command(ScaleAction.DRAIN, at("10:41:00"), "n1"), ledger.meters()))
                .as("a drained node still costs").isEmpty();
        assertThat(InventoryCorrections.leaves(command(ScaleAction.DEFERRED, at("10:41:00"), "n1"), ledger.meters()))
                .isEmpty();
        ScaleCommand elsewhere = new ScaleCommand("c", "eu-west", "gpu", ScaleAction.SCALE_IN, null, at("10:41:00"),
                null, 3, 2, -1, null, null, CapacityType.ON_DEMAND, Criticality.NORMAL, BudgetState.OK, false,
                List.of("n1"), "test");
        assertThat(InventoryCorrections.leaves(elsewhere, ledger.meters())).isEmpty();
    }

    @Test
    void aNodeStillReportingAfterTheGraceIsChargedAgainFromItsWindow() {
        CostLedger ledger = CostLedger.startingAt(at("10:00:00"), CostLedger.DEFAULT_LATENESS);
        ledger = apply(ledger, node("n1", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, at("10:40:00")),
                at("10:40:00"));
        for (FleetNode leave : InventoryCorrections.leaves(command(ScaleAction.SCALE_IN, at("10:42:00"), "n1"),
                ledger.meters())) {
            ledger = apply(ledger, leave, at("10:42:00"));
        }

        assertThat(InventoryCorrections.revival(window("n1", at("10:43:50")), ledger.meters().get("n1"), GRACE))
                .as("within the grace: the node was still shutting down").isEmpty();
        FleetNode revived = InventoryCorrections.revival(window("n1", at("10:44:00")), ledger.meters().get("n1"), GRACE)
                .orElseThrow();
        assertThat(revived.state()).isEqualTo(NodeState.JOINED);
        assertThat(revived.since()).isEqualTo(at("10:44:00"));
        ledger = apply(ledger, revived, at("10:44:10"));
        LedgerStep step = ledger.tick(at("10:50:00"), CATALOG);

        // 10:40–10:42 and 10:44–10:50: 8 min × 1.2000 $/h = 480 s × 1.2 / 3600 = 0.16
        BigDecimal total = step.ledger().buckets().values().stream().map(SpendBucket::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(total).isEqualByComparingTo("0.16");
        assertThat(InventoryCorrections.revival(window("n1", at("10:50:00")), step.ledger().meters().get("n1"), GRACE))
                .as("running again").isEmpty();
    }

    @Test
    void staleIsAdmittedForARunningNode() {
        CostLedger ledger = CostLedger.startingAt(at("10:00:00"), CostLedger.DEFAULT_LATENESS);
        FleetNode stale = node("n1", "gpu", CapacityType.ON_DEMAND, NodeState.STALE, at("10:41:00"));
        assertThat(InventoryCorrections.admit(stale, null)).as("unknown node: the ledger starts it").isTrue();
        ledger = apply(ledger, node("n1", "gpu", CapacityType.ON_DEMAND, NodeState.JOINED, at("10:40:00")),
                at("10:40:00"));
        assertThat(InventoryCorrections.admit(stale, ledger.meters().get("n1"))).isTrue();
    }
}
