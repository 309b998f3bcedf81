package dev.meridian.policy.cost;

import static dev.meridian.policy.cost.CostFixtures.CATALOG;
import static dev.meridian.policy.cost.CostFixtures.assertAllValid;
import static dev.meridian.policy.cost.CostFixtures.at;
import static dev.meridian.policy.cost.CostFixtures.node;
import static dev.meridian.contracts.fleet.CapacityType.ON_DEMAND;
import static dev.meridian.contracts.fleet.CapacityType.SPOT;
import static dev.meridian.contracts.fleet.NodeState.JOINED;
import static dev.meridian.contracts.fleet.NodeState.LEFT;
import static dev.meridian.contracts.fleet.NodeState.STALE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Tier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CostLedgerTest {

    private static final Map<String, String> SEARCH = Map.of("team", "search");
    private static final Map<String, String> RESEARCH = Map.of("team", "research");
    private static final Duration LATENESS = Duration.ofMinutes(5);

    private static String id(String hour, String pool, String capacity, String team) {
        return SpendAggregate.key("us-east", at(hour), Map.of("pool", pool, "tier", "CORE_GPU", "capacityType", capacity,
                "team", team));
    }

    private static Map<String, SpendAggregate> byId(LedgerStep step) {
        return step.aggregates().stream().collect(Collectors.toMap(SpendAggregate::id, Function.identity()));
    }

    /**
     * The scripted fleet, all g5.xlarge in us-east (on-demand 1.0060 $/h until 10:30, 1.2000 after; spot 0.3018):
     * infer-1 on-demand from 09:00; infer-2 on-demand from 09:00, STALE from 09:40 and still paid for; warm-1 an idle
     * warm on-demand node from 09:00; batch-1 spot from 09:15, LEFT at 10:45 — reported at 10:46:30, after a tick
     * had charged it to 10:46.
     */
    @Test
    void chargesTheScriptedFleetHourByHour() {
        CostLedger ledger = CostLedger.startingAt(at("09:00:00"), LATENESS);
        ledger = ledger.onNode(node("infer-1", "infer", ON_DEMAND, JOINED, at("09:00:00")), SEARCH, CATALOG,
                at("09:00:05")).ledger();
        ledger = ledger.onNode(node("infer-2", "infer", ON_DEMAND, JOINED, at("09:00:00")), SEARCH, CATALOG,
                at("09:00:05")).ledger();
        ledger = ledger.onNode(node("warm-1", "warm", ON_DEMAND, JOINED, at("09:00:00")), SEARCH, CATALOG,
                at("09:00:05")).ledger();
        ledger = ledger.onNode(node("batch-1", "batch", SPOT, JOINED, at("09:15:00")), RESEARCH, CATALOG,
                at("09:15:02")).ledger();
        LedgerStep stale = ledger.onNode(node("infer-2", "infer", ON_DEMAND, STALE, at("09:40:00")), SEARCH, CATALOG,
                at("09:40:00"));
        assertThat(stale.changed()).as("STALE neither stops nor charges").isEmpty();
        ledger = stale.ledger();

        LedgerStep atTen = ledger.tick(at("10:00:00"), CATALOG);
        assertThat(atTen.finalized()).as("09:00 stays open for the 5 min lateness").isEmpty();
        ledger = atTen.ledger();

        LedgerStep closesNine = ledger.tick(at("10:05:00"), CATALOG);
        Map<String, SpendAggregate> nine = byId(closesNine);
        // infer: 2 nodes × 1 h × 1.0060 = 2.012
        assertThat(nine.get(id("09:00:00", "infer", "ON_DEMAND", "search")).amount()).isEqualByComparingTo("2.012");
        assertThat(nine.get(id("09:00:00", "infer", "ON_DEMAND", "search")).nodeSeconds()).isEqualTo(7200);
        // warm: 1 h × 1.0060
        assertThat(nine.get(id("09:00:00", "warm", "ON_DEMAND", "search")).amount()).isEqualByComparingTo("1.006");
        // batch: 45 min × 0.3018 = 0.75 × 0.3018 = 0.22635
        assertThat(nine.get(id("09:00:00", "batch", "SPOT", "research")).amount()).isEqualByComparingTo("0.22635");
        assertThat(nine.get(id("09:00:00", "batch", "SPOT", "research")).nodeSeconds()).isEqualTo(2700);
        assertThat(closesNine.finalized()).containsExactlyInAnyOrder(id("09:00:00", "infer", "ON_DEMAND", "search"),
                id("09:00:00", "warm", "ON_DEMAND", "search"), id("09:00:00", "batch", "SPOT", "research"));
        // saved: 0.75 h × (1.0060 − 0.3018) = 0.75 × 0.7042 = 0.52815
        assertThat(closesNine.spotSavings()).filteredOn(line -> line.hourStart().equals(at("09:00:00")))
                .singleElement().satisfies(line -> assertThat(line.amount()).isEqualByComparingTo("0.52815"));
        ledger = closesNine.ledger();

        ledger = ledger.tick(at("10:46:00"), CATALOG).ledger();
        LedgerStep left = ledger.onNode(node("batch-1", "batch", SPOT, LEFT, at("10:45:00")), RESEARCH, CATALOG,
                at("10:46:30"));
        // charged to 10:46 = 46 min; the minute after 10:45 is taken back: 45 min × 0.3018 = 0.22635
        assertThat(byId(left).get(id("10:00:00", "batch", "SPOT", "research")).amount())
                .isEqualByComparingTo("0.22635");
        assertThat(left.gaps()).isEmpty();
        ledger = left.ledger();

        LedgerStep closesTen = ledger.tick(at("11:05:00"), CATALOG);
        Map<String, SpendAggregate> ten = byId(closesTen);
        // per on-demand node: 30 min × 1.0060 + 30 min × 1.2000 = 0.503 + 0.6 = 1.103; infer has two (one STALE)
        assertThat(ten.get(id("10:00:00", "infer", "ON_DEMAND", "search")).amount()).isEqualByComparingTo("2.206");
        assertThat(ten.get(id("10:00:00", "warm", "ON_DEMAND", "search")).amount()).isEqualByComparingTo("1.103");
        assertThat(ten.get(id("10:00:00", "batch", "SPOT", "research")).nodeSeconds()).isEqualTo(2700);
        // 11:00–11:05 still open: 2 infer nodes × 5 min × 1.2000 = 2 × 0.1 = 0.2
        assertThat(ten.get(id("11:00:00", "infer", "ON_DEMAND", "search")).amount()).isEqualByComparingTo("0.2");
        assertThat(ten.get(id("11:00:00", "infer", "ON_DEMAND", "search")).nodeSeconds()).isEqualTo(600);
        assertThat(ten).doesNotContainKey(id("11:00:00", "batch", "SPOT", "research"));
        assertThat(closesTen.finalized()).hasSize(3).allMatch(id -> id.contains("T10:00:00Z"));
        // on-demand equivalent 10:00–10:45: 0.5 h × 1.0060 + 0.25 h × 1.2000 = 0.503 + 0.3 = 0.803;
        // saved 0.803 − 0.75 × 0.3018 = 0.803 − 0.22635 = 0.57665
        assertThat(closesTen.spotSavings()).singleElement()
                .satisfies(line -> assertThat(line.amount()).isEqualByComparingTo("0.57665"));
        assertThat(closesTen.ledger().meters()).as("a LEFT node is forgotten once its hour is final")
                .doesNotContainKey("batch-1");
        assertThat(closesTen.aggregates()).allMatch(a -> a.currency().equals("USD") && a.computedAt().equals(at("11:05:00")));
        assertAllValid(closesNine.aggregates());
        assertAllValid(closesTen.aggregates());
    }

    @Test
    void replayedInventoryChargesNothingTwice() {
        FleetNode joined = node("infer-1", "infer", ON_DEMAND, JOINED, at("09:00:00"));
        CostLedger ledger = CostLedger.startingAt(at("09:00:00"), LATENESS)
                .onNode(joined, SEARCH, CATALOG, at("09:00:00")).ledger()
                .tick(at("09:30:00"), CATALOG).ledger();

        LedgerStep replay = ledger.onNode(joined, SEARCH, CATALOG, at("09:30:01"));

        assertThat(replay.changed()).isEmpty();
        // 30 min × 1.0060 = 0.503, once
        LedgerStep tick = replay.ledger().tick(at("09:30:00"), CATALOG);
        assertThat(tick.ledger().buckets().values()).singleElement()
                .satisfies(b -> assertThat(b.amount()).isEqualByComparingTo("0.503"));
    }

    @Test
    void aJoinReportedAfterItsHourClosedIsChargedFromTheFirstOpenHourAndReported() {
        CostLedger ledger = CostLedger.startingAt(at("10:00:00"), LATENESS);

        LedgerStep joined = ledger.onNode(node("infer-1", "infer", ON_DEMAND, JOINED, at("09:30:00")), SEARCH, CATALOG,
                at("10:10:00"));
        LedgerStep tick = joined.ledger().tick(at("10:20:00"), CATALOG);

        assertThat(joined.gaps()).containsExactly(
                new AccrualGap("infer-1", at("09:30:00"), at("10:00:00"), AccrualGap.Kind.LATE_JOIN));
        // only 10:00–10:20: 1/3 h × 1.0060 = 0.335333333… → 0.335333333
        assertThat(tick.aggregates()).singleElement().satisfies(a -> {
            assertThat(a.hourStart()).isEqualTo(at("10:00:00"));
            assertThat(a.amount()).isEqualTo(new BigDecimal("0.335333333"));
        });
    }

    @Test
    void aLeaveReportedAfterItsHourClosedKeepsTheChargeAndIsReported() {
        CostLedger ledger = CostLedger.startingAt(at("09:00:00"), LATENESS)
                .onNode(node("infer-1", "infer", ON_DEMAND, JOINED, at("09:00:00")), SEARCH, CATALOG, at("09:00:00"))
                .ledger().tick(at("10:10:00"), CATALOG).ledger();

        LedgerStep left = ledger.onNode(node("infer-1", "infer", ON_DEMAND, LEFT, at("09:50:00")), SEARCH, CATALOG,
                at("10:11:00"));

        assertThat(left.gaps()).containsExactly(
                new AccrualGap("infer-1", at("09:50:00"), at("10:00:00"), AccrualGap.Kind.LATE_LEAVE));
        // 10:00–10:10 is taken back in full from the open hour: 0 left
        assertThat(left.aggregates()).singleElement().satisfies(a -> {
            assertThat(a.hourStart()).isEqualTo(at("10:00:00"));
            assertThat(a.amount()).isEqualByComparingTo("0");
            assertThat(a.nodeSeconds()).isZero();
        });
    }

    @Test
    void timeWithoutAPriceIsReportedOnceAcrossHoursAndChargesNothing() {
        FleetNode unpriced = new FleetNode("odd-1", "us-east", "us-east-1a", "odd", Tier.CORE_GPU, "p9.huge", ON_DEMAND,
                JOINED, at("09:30:00"), at("09:30:00"));
        LedgerStep step = CostLedger.startingAt(at("09:00:00"), LATENESS)
                .onNode(unpriced, Map.of(), CATALOG, at("09:30:00")).ledger()
                .tick(at("11:10:00"), CATALOG);

        assertThat(step.changed()).isEmpty();
        assertThat(step.gaps()).containsExactly(
                new AccrualGap("odd-1", at("09:30:00"), at("11:10:00"), AccrualGap.Kind.NO_PRICE));
    }

    @Test
    void roundsOnlyWhereAnHourlyPriceBecomesAnAmount() {
        PriceCatalog dollar = PriceCatalog.of("USD", List.of(new PricePeriod(
                new PriceKey("us-east", CostFixtures.GPU, ON_DEMAND), CostFixtures.YEAR_START, null, BigDecimal.ONE,
                "USD")));
        LedgerStep step = CostLedger.startingAt(at("09:00:00"), LATENESS)
                .onNode(node("infer-1", "infer", ON_DEMAND, JOINED, at("09:00:00")), SEARCH, dollar, at("09:00:00"))
                .ledger().tick(at("09:00:01"), dollar);

        // 1 s × 1 $/h = 1/3600 = 0.000277777… → 9 places, half-even: 0.000277778
        assertThat(step.aggregates()).singleElement()
                .satisfies(a -> assertThat(a.amount()).isEqualTo(new BigDecimal("0.000277778")));
        // the bucket stays exact: 3600 such seconds are exactly 1, not 3600 × 0.000277778 = 1.0000008
        LedgerStep hour = step.ledger().tick(at("10:00:00"), dollar);
        assertThat(hour.aggregates()).singleElement()
                .satisfies(a -> assertThat(a.amount()).isEqualByComparingTo("1"));
    }

    @Test
    void aNodeMovingPoolsIsChargedToEachPoolForItsOwnTime() {
        FleetNode inInfer = node("n-1", "infer", ON_DEMAND, JOINED, at("09:00:00"));
        CostLedger ledger = CostLedger.startingAt(at("09:00:00"), LATENESS)
                .onNode(inInfer, SEARCH, CATALOG, at("09:00:00")).ledger();
        // ingest reports a move as LEFT under the old pool and JOINED under the new one, both at the first sample
        ledger = ledger.onNode(node("n-1", "infer", ON_DEMAND, LEFT, at("09:20:00")), SEARCH, CATALOG,
                at("09:20:00")).ledger();
        ledger = ledger.onNode(node("n-1", "warm", ON_DEMAND, JOINED, at("09:20:00")), SEARCH, CATALOG,
                at("09:20:00")).ledger();

        Map<String, SpendBucket> open = ledger.tick(at("09:30:00"), CATALOG).ledger().buckets();

        // infer 20 min, warm 10 min at 1.0060: 1.006/3 = 0.335333333…, 1.006/6 = 0.167666666… → 0.167666667
        assertThat(open.get(id("09:00:00", "infer", "ON_DEMAND", "search")).amount())
                .isEqualTo(new BigDecimal("0.335333333"));
        assertThat(open.get(id("09:00:00", "warm", "ON_DEMAND", "search")).amount())
                .isEqualTo(new BigDecimal("0.167666667"));
    }

    @Test
    void delimitersInRegistryTagsCannotBreakTheAggregateKey() {
        LedgerStep step = CostLedger.startingAt(at("09:00:00"), LATENESS)
                .onNode(node("n-1", "infer", ON_DEMAND, JOINED, at("09:00:00")), Map.of("team", "a/b=c,d"), CATALOG,
                        at("09:00:00"))
                .ledger().tick(at("09:10:00"), CATALOG);

        assertThat(step.aggregates()).singleElement()
                .satisfies(a -> assertThat(a.tags()).containsEntry("team", "a_b_c_d"));
        assertAllValid(step.aggregates());
    }
}
