package dev.meridian.registry.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Debezium-shaped events (JSON converter, no schemas, decimals as strings) fed straight into the applier. */
class ChangeApplierTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");

    private final ChangeApplier applier = new ChangeApplier(TIMEOUT);

    private static byte[] bytes(String json) {
        return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    }

    private static String event(String op, String before, String after, long txId) {
        return "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"schema\":\"config\",\"txId\":" + txId
                + ",\"ts_ms\":1767225600000,\"lsn\":123},\"op\":\"" + op + "\",\"ts_ms\":1767225600100}";
    }

    private static String region(String name, String zone, String actor) {
        return "{\"name\":\"" + name + "\",\"zone\":\"" + zone + "\",\"display_name\":\"" + name
                + "\",\"changed_by\":\"" + actor + "\",\"changed_at\":\"2026-01-01T00:00:00Z\"}";
    }

    private static String regionKey(String name) {
        return "{\"name\":\"" + name + "\"}";
    }

    private static String price(String amount, String actor) {
        return "{\"region\":\"us-east\",\"instance_type\":\"p5.48xlarge\",\"capacity_type\":\"ON_DEMAND\","
                + "\"effective_from\":\"2026-01-01T00:00:00Z\",\"effective_until\":null,\"hourly_price\":\"" + amount
                + "\",\"currency\":\"USD\",\"changed_by\":\"" + actor + "\",\"changed_at\":\"2026-01-01T00:00:00.123456Z\"}";
    }

    /** A price row as the registry stamps it: the login as changed_by, the name the client declared as declared_by. */
    private static String price(String amount, String actor, String declared) {
        return price(amount, actor).replace("\"changed_at\"", "\"declared_by\":\"" + declared + "\",\"changed_at\"");
    }

    private static final String PRICE_KEY = "{\"region\":\"us-east\",\"instance_type\":\"p5.48xlarge\","
            + "\"capacity_type\":\"ON_DEMAND\",\"effective_from\":\"2026-01-01T00:00:00Z\"}";

    private static String changeLog(long id, String table, String operation, String actor) {
        return "{\"id\":" + id + ",\"transaction_id\":7,\"table_name\":\"" + table + "\",\"operation\":\"" + operation
                + "\",\"actor\":\"" + actor + "\",\"application_name\":null,\"session_user_name\":\"postgres\","
                + "\"logged_at\":\"2026-01-01T00:00:00Z\"}";
    }

    private static String changeLog(long id, String table, String operation, String actor, String declared) {
        return changeLog(id, table, operation, actor).replace("\"logged_at\"",
                "\"declared_actor\":\"" + declared + "\",\"logged_at\"");
    }

    private List<FleetChange<?>> apply(String table, String key, String value) {
        return applier.apply(table, bytes(key), bytes(value), 0);
    }

    private void seedRegions() {
        apply("regions", regionKey("us-east"), event("r", "null", region("us-east", "US", "meridian-seed"), 1));
        apply("regions", regionKey("us-west"), event("r", "null", region("us-west", "US", "meridian-seed"), 1));
    }

    @Test
    void snapshotAndInsertsBuildTheViewWithTheirActor() {
        seedRegions();
        List<FleetChange<?>> changes = apply("prices", PRICE_KEY, event("c", "null", price("98.3200", "alice"), 5));

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.op()).isEqualTo(ChangeOp.INSERT);
            assertThat(change.actor()).isEqualTo("alice");
            assertThat(change.transactionId()).isEqualTo(5);
            assertThat(change.before()).isEmpty();
        });
        Price price = applier.snapshot().price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, JAN).orElseThrow();
        assertThat(price.hourlyPrice()).isEqualTo(new BigDecimal("98.3200"));
        assertThat(price.hourlyPrice().toPlainString()).isEqualTo("98.3200");
        assertThat(applier.snapshot().servingRegions("us-east")).containsExactlyInAnyOrder("us-east", "us-west");
    }

    @Test
    void updateCarriesBeforeAndAfter() {
        seedRegions();
        apply("prices", PRICE_KEY, event("c", "null", price("98.3200", "alice"), 5));
        List<FleetChange<?>> changes = apply("prices", PRICE_KEY,
                event("u", price("98.3200", "alice"), price("99.0000", "bob"), 6));

        FleetChange<Price> change = changes.get(0).as(Price.class).orElseThrow();
        assertThat(change.op()).isEqualTo(ChangeOp.UPDATE);
        assertThat(change.before()).get().extracting(Price::hourlyPrice).isEqualTo(new BigDecimal("98.3200"));
        assertThat(change.after()).get().extracting(Price::hourlyPrice).isEqualTo(new BigDecimal("99.0000"));
        assertThat(change.actor()).isEqualTo("bob");
        assertThat(change.as(Region.class)).isEmpty();
    }

    @Test
    void deleteWaitsForItsChangeLogEntryAndTakesItsActor() {
        seedRegions();
        List<FleetChange<?>> changes = apply("regions", regionKey("us-west"),
                event("d", region("us-west", "US", "meridian-seed"), "null", 42));

        assertThat(changes).isEmpty();
        assertThat(applier.snapshot().region("us-west")).isEmpty();
        assertThat(applier.pendingCount()).isEqualTo(1);

        List<FleetChange<?>> released = apply("change_log", "{\"id\":9}",
                event("c", "null", changeLog(9, "regions", "DELETE", "carol"), 42));
        assertThat(released).singleElement().satisfies(change -> {
            assertThat(change.op()).isEqualTo(ChangeOp.DELETE);
            assertThat(change.actor()).isEqualTo("carol");
            assertThat(change.before()).get().extracting(row -> ((Region) row).name()).isEqualTo("us-west");
            assertThat(change.after()).isEmpty();
        });
        assertThat(applier.pendingCount()).isZero();
    }

    @Test
    void changeLogEntryArrivingFirstAttributesTheDeleteAtOnce() {
        seedRegions();
        apply("change_log", "{\"id\":9}", event("c", "null", changeLog(9, "regions", "DELETE", "carol"), 42));
        List<FleetChange<?>> changes = apply("regions", regionKey("us-west"),
                event("d", region("us-west", "US", "meridian-seed"), "null", 42));

        assertThat(changes).singleElement().extracting(FleetChange::actor).isEqualTo("carol");
    }

    @Test
    void truncateRemovesEveryRowAndReportsEachWithTheActor() {
        seedRegions();
        apply("change_log", "{\"id\":10}", event("c", "null", changeLog(10, "regions", "TRUNCATE", "dave"), 50));
        List<FleetChange<?>> changes = apply("regions", "{\"truncated_table\":\"config.regions\"}",
                event("t", "null", "null", 50));

        assertThat(changes).hasSize(2).allSatisfy(change -> {
            assertThat(change.op()).isEqualTo(ChangeOp.TRUNCATE);
            assertThat(change.actor()).isEqualTo("dave");
            assertThat(change.before()).isPresent();
        });
        assertThat(applier.snapshot().regions()).isEmpty();
        assertThat(applier.snapshot().servingRegions("us-east")).isEmpty();
    }

    @Test
    void theActorIsTheStampedLoginAndTheDeclaredNameOnlyADetail() {
        seedRegions();
        FleetChange<?> insert = apply("prices", PRICE_KEY,
                event("c", "null", price("98.3200", "alice", "bob"), 5)).get(0);
        assertThat(insert.actor()).isEqualTo("alice");
        assertThat(insert.declaredActor()).hasValue("bob");

        // Row images written before the registry kept a declared name have none.
        FleetChange<?> update = apply("prices", PRICE_KEY,
                event("u", price("98.3200", "alice", "bob"), price("99.0000", "carol"), 6)).get(0);
        assertThat(update.actor()).isEqualTo("carol");
        assertThat(update.declaredActor()).isEmpty();
    }

    @Test
    void deleteAndTruncateTakeTheDeclaredNameOfTheirOwnStatementFromTheChangeLog() {
        seedRegions();
        // The before-image names the previous writer's declared name; the change log names this statement's.
        apply("regions", regionKey("us-west"), event("d",
                region("us-west", "US", "meridian-seed").replace("\"changed_at\"", "\"declared_by\":\"seed\",\"changed_at\""),
                "null", 42));
        List<FleetChange<?>> released = apply("change_log", "{\"id\":9}",
                event("c", "null", changeLog(9, "regions", "DELETE", "alice", "bob"), 42));
        assertThat(released).singleElement().satisfies(change -> {
            assertThat(change.actor()).isEqualTo("alice");
            assertThat(change.declaredActor()).hasValue("bob");
        });

        apply("change_log", "{\"id\":10}", event("c", "null", changeLog(10, "regions", "TRUNCATE", "dave"), 50));
        assertThat(apply("regions", "{\"truncated_table\":\"config.regions\"}", event("t", "null", "null", 50)))
                .singleElement().satisfies(change -> {
                    assertThat(change.actor()).isEqualTo("dave");
                    assertThat(change.declaredActor()).isEmpty();
                });
    }

    @Test
    void unattributedDeleteIsReportedAfterTheTimeout() {
        seedRegions();
        apply("regions", regionKey("us-west"), event("d", region("us-west", "US", "x"), "null", 77));

        assertThat(applier.expire(TIMEOUT.toNanos() - 1)).isEmpty();
        assertThat(applier.expire(TIMEOUT.toNanos())).singleElement()
                .extracting(FleetChange::actor).isEqualTo(FleetChange.UNATTRIBUTED);
    }

    @Test
    void tombstoneAloneRemovesTheRow() {
        seedRegions();
        assertThat(apply("regions", regionKey("us-west"), null)).isEmpty();
        assertThat(applier.snapshot().region("us-west")).isEmpty();
        assertThat(applier.snapshot().region("us-east")).isPresent();
    }

    @Test
    void unreadableNewVersionRemovesTheOldOneInsteadOfKeepingIt() {
        seedRegions();
        apply("prices", PRICE_KEY, event("c", "null", price("98.3200", "alice"), 5));
        String broken = price("98.3200", "alice").replace("ON_DEMAND", "RESERVED");

        assertThat(apply("prices", PRICE_KEY, event("u", price("98.3200", "alice"), broken, 6))).isEmpty();
        assertThat(applier.snapshot().prices()).isEmpty();
    }

    @Test
    void unknownZoneIsKeptButIneligible() {
        apply("regions", regionKey("mars-north"), event("c", "null", region("mars-north", "MARS", "ops"), 3));

        assertThat(applier.snapshot().region("mars-north")).get().extracting(Region::zoneCode).isEqualTo("MARS");
        assertThat(applier.snapshot().servingRegions("mars-north")).isEmpty();
    }

    @Test
    void recordsOfOtherTopicsAreIgnored() {
        assertThat(apply("unknown_table", "{\"id\":1}", event("c", "null", "{\"id\":1}", 1))).isEmpty();
        assertThat(applier.snapshot().regions()).isEmpty();
    }
}
