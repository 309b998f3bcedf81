package dev.meridian.audit.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.audit.Events;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.chain.Mapped;
import dev.meridian.audit.chain.Operation;
import dev.meridian.audit.chain.OperationMapper;
import dev.meridian.auditproof.Canonical;
import dev.meridian.auditproof.Merkle;
import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00.123456789Z");
    private static final DigestSigner SIGNER = DigestSigner.generate("test");
    private static final Duration DIGEST_INTERVAL = Duration.ofMinutes(1);
    private static final Duration ATTRIBUTION_TIMEOUT = Duration.ofSeconds(10);

    private TopologyTestDriver driver;
    private final Map<String, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
    private TestOutputTopic<String, AuditRecord> log;

    @BeforeEach
    void startDriver() {
        List<String> topics = List.of(TopicCatalog.SCALING_COMMANDS, TopicCatalog.ROUTING_WEIGHTS,
                TopicCatalog.COST_BUDGET_STATUS, TopicCatalog.COST_ALERTS, TopicCatalog.FLEET_INTERRUPTIONS,
                TopicCatalog.OPERATOR_ACTIONS, TopicCatalog.OPERATOR_ACTION_RESULTS,
                TopicCatalog.AUDIT_OPERATIONS, TopicCatalog.fleetConfigTopic("node_pools"),
                TopicCatalog.fleetConfigTopic("change_log"));
        AuditTopology.Settings settings = new AuditTopology.Settings(topics, "us-east", "/meridian/audit", SIGNER,
                DIGEST_INTERVAL, Duration.ofHours(1), ATTRIBUTION_TIMEOUT, 6);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "chain-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(AuditTopology.build(settings, ChainMetrics.NONE), props, T0);
        for (String topic : topics) {
            inputs.put(topic, driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()));
        }
        log = driver.createOutputTopic(TopicCatalog.AUDIT_LOG, new StringDeserializer(),
                ContractSerdes.of(AuditRecord.class).deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void pipe(Events.Input input) {
        inputs.get(input.topic()).pipeInput(new TestRecord<>(input.key(), input.value(), input.headers(),
                T0.toEpochMilli()));
    }

    @Test
    void chainsEveryOperationKindFromGenesisWithEachHashOverItsPredecessor() {
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.SCALE_OUT, T0));
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.DEFERRED, T0.plusSeconds(1)));
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.DRAIN, T0.plusSeconds(2)));
        pipe(Events.weights("us-east", 7, false, T0.plusSeconds(3)));
        pipe(Events.budgetStatus("region:us-east", BudgetState.WARN, T0.plusSeconds(4)));
        pipe(Events.alert("region:us-east", 80, T0.plusSeconds(5)));
        pipe(Events.interruption("us-east", "gpu-batch", "i-0abc", T0.plusSeconds(6)));
        pipe(Events.poolChange("u", "us-east", "gpu-core", "alice", 41, T0.plusSeconds(7)));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::action).containsExactly("scale.scale_out", "scale.deferred",
                "scale.drain", "routing.weights", "budget.state", "budget.alert", "fleet.interruption",
                "registry.update");
        assertThat(chain).extracting(AuditRecord::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(chain).allSatisfy(entry -> {
            assertThat(entry.region()).isEqualTo("us-east");
            assertThat(entry.kind()).isEqualTo(AuditEntryKind.RECORD);
            assertThat(entry.hash()).isEqualTo(Canonical.expectedHash(entry));
        });
        assertThat(chain.get(0).previousHash()).isEqualTo(AuditRecord.GENESIS_HASH);
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).previousHash()).isEqualTo(chain.get(i - 1).hash());
        }
        assertThat(chain.get(7).actor()).isEqualTo("alice");
        assertThat(chain.get(7).resource()).isEqualTo("config.node_pools:us-east/gpu-core");
        assertThat(chain.get(0).resource()).isEqualTo("pool:us-east/gpu-core");
        // The chainer's clock (the driver's wall clock, milliseconds), not the events' own times; while the clock
        // stands still each entry is a microsecond after the previous one, so time order is chain order.
        assertThat(chain.get(0).time()).isEqualTo(Instant.parse("2026-11-27T10:00:00.123Z"));
        assertThat(chain.get(1).time()).isEqualTo(Instant.parse("2026-11-27T10:00:00.123001Z"));
        assertThat(chain.get(7).time()).isEqualTo(Instant.parse("2026-11-27T10:00:00.123007Z"));
    }

    @Test
    void aNoticesActorIsWhoTheDoorAuthenticatedNeverTheSourceItClaims() {
        Events.Input submitted = Events.interruption("us-east", "gpu-batch", "i-auth", T0);
        AuthContext.user("itn-handler-us-east").writeTo(submitted.headers());
        pipe(submitted);
        // Written straight to Kafka, without a door: the publishing service is the actor, not the body's claim.
        pipe(Events.interruption("us-east", "gpu-batch", "i-kafka", T0.plusSeconds(1)));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::actor).containsExactly("itn-handler-us-east", "/meridian/test");
        assertThat(chain).allSatisfy(entry ->
                assertThat(entry.payload().path("source").asText()).isEqualTo("aws-spot-itn"));
    }

    @Test
    void anOperatorsActionIsRecordedInItsRegionsChainWithTheAuthenticatedOperatorAsActor() {
        // The audit's home region is us-east; the actions act on eu-west, so they go to eu-west's chain.
        OperatorAction drain = Events.drain("eu-west", "gpu-core", "i-0drain", "eu-operator", T0);
        OperatorAction scale = Events.scaleTo("eu-west", "gpu-core", 5, "eu-operator", T0.plusSeconds(1));
        OperatorAction unauthenticated = Events.scaleTo("eu-west", "cpu-edge", 3, "eu-admin", T0.plusSeconds(2));
        pipe(Events.action(drain, "eu-operator"));
        pipe(Events.action(scale, "eu-operator"));
        // Without the auth context the action's own actor, which the API also took from the verified token.
        pipe(Events.action(unauthenticated, null));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::region, AuditRecord::sequence, AuditRecord::actor,
                AuditRecord::action, AuditRecord::resource).containsExactly(
                        tuple("eu-west", 0L, "eu-operator", "operator.drain", "node:eu-west/gpu-core/i-0drain"),
                        tuple("eu-west", 1L, "eu-operator", "operator.scale", "pool:eu-west/gpu-core"),
                        tuple("eu-west", 2L, "eu-admin", "operator.scale", "pool:eu-west/cpu-edge"));
        assertThat(chain).extracting(AuditRecord::id).containsExactly(drain.actionId(), scale.actionId(),
                unauthenticated.actionId());
        assertThat(chain.get(0).payload().path("reason").asText()).isEqualTo("hardware ticket");
        assertThat(chain.get(1).payload().path("nodes").asInt()).isEqualTo(5);
        assertThat(chain).allSatisfy(entry -> {
            assertThat(entry.type()).startsWith("dev.meridian.operator.action");
            assertThat(entry.hash()).isEqualTo(Canonical.expectedHash(entry));
            assertThat(entry.violations()).isEmpty();
        });
    }

    @Test
    void theAuthContextNamesTheActorOverTheActionsOwnField() {
        OperatorAction claimed = Events.drain("eu-west", "gpu-core", "i-0claim", "someone-else", T0);
        pipe(Events.action(claimed, "eu-operator"));

        assertThat(log.readValuesToList()).extracting(AuditRecord::actor).containsExactly("eu-operator");
    }

    @Test
    void anActionsResultIsRecordedWithTheActionsActorAndResourceAndTheReason() {
        OperatorAction drain = Events.drain("ap-southeast", "gpu-core", "i-0gone", "apac-operator", T0);
        OperatorAction scale = Events.scaleTo("ap-southeast", "gpu-core", 40, "apac-operator", T0);
        pipe(Events.action(drain, "apac-operator"));
        pipe(Events.action(scale, "apac-operator"));
        pipe(Events.result(ActionResult.applied(drain, T0.plusSeconds(1)), "result-1"));
        pipe(Events.result(ActionResult.rejected(scale, "40 nodes exceed the pool's maximum of 16", T0.plusSeconds(1)),
                "result-2"));
        // A result published under its action's id is still recorded: it is not a redelivered action.
        pipe(Events.result(ActionResult.applied(scale, T0.plusSeconds(2)), scale.actionId()));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::region).containsOnly("ap-southeast");
        assertThat(chain).extracting(AuditRecord::actor).containsOnly("apac-operator");
        assertThat(chain).extracting(AuditRecord::id, AuditRecord::action, AuditRecord::resource).containsExactly(
                tuple(drain.actionId(), "operator.drain", "node:ap-southeast/gpu-core/i-0gone"),
                tuple(scale.actionId(), "operator.scale", "pool:ap-southeast/gpu-core"),
                tuple("result-1", "operator.drain.applied", "node:ap-southeast/gpu-core/i-0gone"),
                tuple("result-2", "operator.scale.rejected", "pool:ap-southeast/gpu-core"),
                tuple(scale.actionId() + "/applied", "operator.scale.applied", "pool:ap-southeast/gpu-core"));
        assertThat(chain.get(3).payload().path("status").asText()).isEqualTo("REJECTED");
        assertThat(chain.get(3).payload().path("reason").asText())
                .isEqualTo("40 nodes exceed the pool's maximum of 16");
        assertThat(chain.get(3).payload().path("action").path("actionId").asText()).isEqualTo(scale.actionId());
        assertThat(chain).allSatisfy(entry -> assertThat(entry.violations()).isEmpty());
    }

    @Test
    void aCommandCarryingOutAnOperatorsActionNamesTheOperatorAndTheScalersOwnNameTheService() {
        pipe(Events.scaleRequestedBy("us-east", "gpu-core", ScaleAction.SCALE_OUT, "us-operator", T0));
        pipe(Events.scaleRequestedBy("us-east", "gpu-core", ScaleAction.DRAIN, "us-operator", T0.plusSeconds(1)));
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.SCALE_IN, T0.plusSeconds(2)));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::actor, AuditRecord::action).containsExactly(
                tuple("us-operator", "scale.scale_out"), tuple("us-operator", "scale.drain"),
                tuple("/meridian/test", "scale.scale_in"));
        assertThat(chain.get(0).payload().path("requestedBy").asText()).isEqualTo("us-operator");
        assertThat(chain.get(0).source()).isEqualTo("/meridian/test");
    }

    @Test
    void aMirroredCopyOfTheActionsTopicIsNeverRecordedAgain() {
        Events.Input action = Events.action(Events.drain("eu-west", "gpu-core", "i-0m", "eu-operator", T0),
                "eu-operator");
        OperationMapper mapper = new OperationMapper("us-east");

        assertThat(mapper.map(TopicCatalog.OPERATOR_ACTIONS, action.headers(), action.value(), 0).kind())
                .isEqualTo(Mapped.Kind.OPERATION);
        assertThat(mapper.map("eu-west." + TopicCatalog.OPERATOR_ACTIONS, action.headers(), action.value(), 0).kind())
                .isEqualTo(Mapped.Kind.DROP);
    }

    @Test
    void aRefusedRequestIsRecordedInTheRegionItNamedWithTheRefusedPrincipalOrAnonymous() {
        pipe(Events.contract(AccessDenial.of(T0, "ap-southeast", "cost", "eu-viewer", null, 403, "GET /v1/costs",
                "region", 0), "ap-southeast", "ap-southeast", T0));
        pipe(Events.contract(AccessDenial.of(T0, "us-east", "scheduler", null, "203.0.113.9", 401,
                "GET /v1/weights/us-east", "no valid token", 41), "us-east", "us-east", T0));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::region, AuditRecord::actor, AuditRecord::action,
                AuditRecord::resource).containsExactly(
                        tuple("ap-southeast", "eu-viewer", "access.denied", "door:cost GET /v1/costs"),
                        tuple("us-east", "anonymous", "access.denied", "door:scheduler GET /v1/weights/us-east"));
        assertThat(chain.get(1).payload().path("peer").asText()).isEqualTo("203.0.113.9");
        assertThat(chain.get(1).payload().path("unreportedBefore").asLong()).isEqualTo(41);
    }

    @Test
    void aControlCharacterInAHeaderIsChainedPrintableAndNeverStopsTheChainer() {
        Events.Input command = Events.scale("us-east", "gpu-core", ScaleAction.SCALE_OUT, T0);
        Headers headers = new RecordHeaders();
        CloudEventHeaders.write(headers, new CloudEventAttributes(command.ceId(), "evil\u0000source",
                "dev.meridian.scaling.command.v1", T0, "us-east"));
        inputs.get(command.topic()).pipeInput(new TestRecord<>(command.key(), command.value(), headers,
                T0.toEpochMilli()));
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.SCALE_IN, T0));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::action).containsExactly("scale.scale_out", "scale.scale_in");
        assertThat(chain.get(0).actor()).isEqualTo("evil\uFFFDsource");
        assertThat(chain.get(0).violations()).isEmpty();
    }

    @Test
    void aClockThatWasFarAheadIsNotFollowedOnceCorrected() {
        ChainHead ahead = new ChainHead(5, AuditRecord.GENESIS_HASH, 0, 0, T0.plus(Duration.ofDays(2)), List.of());
        ChainHead stalled = new ChainHead(5, AuditRecord.GENESIS_HASH, 0, 0, Canonical.truncate(T0), List.of());
        Operation op = new Operation("op", T0, "us-east", "alice", "scale.scale_out", "pool:us-east/gpu", "/test",
                "dev.meridian.scaling.command.v1", null);

        assertThat(Chains.record(ahead, op, T0).time()).isEqualTo(Canonical.truncate(T0));
        assertThat(Chains.record(stalled, op, T0.minusSeconds(30)).time())
                .isEqualTo(Instant.parse("2026-11-27T10:00:00.123457Z"));
    }

    @Test
    void aClaimedTimeFarFromTheClockStaysInThePayloadWhileTheEntryTakesTheChainersTime() {
        pipe(Events.interruption("us-east", "gpu-batch", "i-1970", Instant.EPOCH));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        pipe(Events.interruption("us-east", "gpu-batch", "i-2099", Instant.parse("2099-01-01T00:00:00Z")));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::time).containsExactly(Instant.parse("2026-11-27T10:00:00.123Z"),
                Instant.parse("2026-11-27T10:00:02.123Z"));
        assertThat(chain.get(0).payload().path("noticeAt").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(chain.get(1).payload().path("noticeAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
    }

    @Test
    void regionsHaveChainsOfTheirOwn() {
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.SCALE_OUT, T0));
        pipe(Events.scale("eu-west", "gpu-core", ScaleAction.SCALE_OUT, T0));
        pipe(Events.scale("eu-west", "gpu-core", ScaleAction.SCALE_IN, T0));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).filteredOn(e -> e.region().equals("eu-west")).extracting(AuditRecord::sequence)
                .containsExactly(0L, 1L);
        assertThat(chain).filteredOn(e -> e.region().equals("us-east")).extracting(AuditRecord::sequence)
                .containsExactly(0L);
    }

    @Test
    void heartbeatsUnchangedBudgetStatesSnapshotReadsAndTombstonesAreNotOperations() {
        pipe(Events.weights("eu-west", 3, true, T0));
        pipe(Events.budgetStatus("global", BudgetState.OK, T0));
        pipe(Events.budgetStatus("global", BudgetState.OK, T0.plusSeconds(10)));
        pipe(Events.poolChange("r", "eu-west", "gpu-core", "seed", 7, T0));
        inputs.get(TopicCatalog.fleetConfigTopic("node_pools")).pipeInput(new TestRecord<>("{\"region\":\"eu-west\"}",
                null, new RecordHeaders(), T0.toEpochMilli()));
        pipe(Events.budgetStatus("global", BudgetState.WARN, T0.plusSeconds(20)));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::action).containsExactly("budget.state", "budget.state");
        // A global budget concerns no region: it goes to the home region's chain.
        assertThat(chain).extracting(AuditRecord::region).containsOnly("us-east");
        assertThat(chain).extracting(e -> e.payload().path("state").asText()).containsExactly("OK", "WARN");
    }

    @Test
    void theSameEventDeliveredTwiceIsChainedOnce() {
        Events.Input command = Events.scale("us-east", "gpu-core", ScaleAction.SCALE_OUT, T0);
        pipe(command);
        pipe(command);

        assertThat(log.readValuesToList()).extracting(AuditRecord::id).containsExactly(command.ceId());
    }

    @Test
    void registryDeleteTakesTheActorFromItsTransactionsChangeLogEntryWhicheverArrivesFirst() {
        pipe(Events.poolChange("d", "eu-west", "gpu-a", "previous-writer", 100, T0));
        assertThat(log.isEmpty()).isTrue();
        pipe(Events.changeLog(1, "node_pools", "DELETE", "bob", 100, T0));
        pipe(Events.changeLog(2, "node_pools", "TRUNCATE", "carol", 101, T0));
        pipe(Events.poolChange("t", "eu-west", "ignored", "ignored", 101, T0));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::action, AuditRecord::actor, AuditRecord::region).containsExactly(
                org.assertj.core.groups.Tuple.tuple("registry.delete", "bob", "eu-west"),
                org.assertj.core.groups.Tuple.tuple("registry.truncate", "carol", "us-east"));
        assertThat(chain.get(0).payload().path("before").path("name").asText()).isEqualTo("gpu-a");
    }

    @Test
    void aRegistryChangesActorIsTheLoginAndTheNameTheClientDeclaredIsOnlyADetail() {
        // alice's login declared herself "bob" (meridian.actor): the registry stamps alice as changed_by and the
        // change_log actor, "bob" as declared_by and declared_actor.
        pipe(Events.poolChange("u", "eu-west", "gpu-a", "alice", "bob", 300, T0));
        pipe(Events.poolChange("d", "eu-west", "gpu-b", "previous-writer", "previous-name", 301, T0));
        pipe(Events.changeLog(3, "node_pools", "DELETE", "alice", "bob", 301, T0));
        pipe(Events.poolChange("u", "eu-west", "gpu-c", "alice", null, 302, T0));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::action, AuditRecord::actor).containsExactly(
                org.assertj.core.groups.Tuple.tuple("registry.update", "alice"),
                org.assertj.core.groups.Tuple.tuple("registry.delete", "alice"),
                org.assertj.core.groups.Tuple.tuple("registry.update", "alice"));
        assertThat(chain.get(0).payload().path(Operation.DECLARED_ACTOR).asText()).isEqualTo("bob");
        // A delete's declared name is its own statement's, from the change log, not the previous writer's.
        assertThat(chain.get(1).payload().path(Operation.DECLARED_ACTOR).asText()).isEqualTo("bob");
        assertThat(chain.get(1).payload().path("before").path("declared_by").asText()).isEqualTo("previous-name");
        assertThat(chain.get(2).payload().has(Operation.DECLARED_ACTOR)).isFalse();
        assertThat(chain).allSatisfy(entry -> assertThat(entry.hash()).isEqualTo(Canonical.expectedHash(entry)));
    }

    @Test
    void anEditedOrRemovedChangeLogEntryNamesNobody() {
        pipe(Events.poolChange("d", "eu-west", "gpu-a", "previous-writer", 200, T0));
        pipe(edited(Events.changeLog(9, "node_pools", "DELETE", "mallory", 200, T0), "u"));
        pipe(edited(Events.changeLog(9, "node_pools", "DELETE", "mallory", 200, T0), "d"));
        assertThat(log.isEmpty()).as("only a statement's own entry attributes its delete").isTrue();
        pipe(Events.changeLog(10, "node_pools", "DELETE", "alice", 200, T0));

        assertThat(log.readValuesToList()).extracting(AuditRecord::actor).containsExactly("alice");
    }

    private static Events.Input edited(Events.Input entry, String op) {
        String value = new String(entry.value(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"op\":\"c\"", "\"op\":\"" + op + "\"");
        return new Events.Input(entry.topic(), entry.key(), value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                entry.headers(), entry.ceId());
    }

    @Test
    void registryDeleteWithoutChangeLogEntryIsRecordedUnattributedAfterTheTimeout() {
        pipe(Events.poolChange("d", "eu-west", "gpu-a", "previous-writer", 200, T0));
        driver.advanceWallClockTime(ATTRIBUTION_TIMEOUT.plusSeconds(6));

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::actor).containsExactly(OperationMapper.UNATTRIBUTED);
    }

    @Test
    void everyDigestIntervalAGrownChainGetsASignedDigestClosingItsRecords() {
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.SCALE_OUT, T0));
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.ACTIVATE_WARM, T0));
        pipe(Events.scale("us-east", "gpu-core", ScaleAction.SCALE_IN, T0));
        driver.advanceWallClockTime(DIGEST_INTERVAL);
        driver.advanceWallClockTime(DIGEST_INTERVAL);

        List<AuditRecord> chain = log.readValuesToList();

        assertThat(chain).extracting(AuditRecord::kind).containsExactly(AuditEntryKind.RECORD, AuditEntryKind.RECORD,
                AuditEntryKind.RECORD, AuditEntryKind.DIGEST);
        AuditRecord digest = chain.get(3);
        assertThat(digest.sequence()).isEqualTo(3);
        assertThat(digest.previousHash()).isEqualTo(chain.get(2).hash());
        assertThat(digest.hash()).isEqualTo(Canonical.expectedHash(digest));
        assertThat(digest.signature()).startsWith("test:");
        assertThat(SIGNER.keys().problem(digest.hash(), digest.signature(), digest.time())).isEmpty();
        assertThat(SIGNER.keys().problem("0".repeat(64), digest.signature(), digest.time())).isPresent();
        assertThat(digest.payload().path("algorithm").asText()).isEqualTo("Ed25519");
        // RFC 9162 over three leaves: the first two form a subtree, the third joins it at the root.
        byte[] leaf0 = Merkle.entryLeaf(chain.get(0).hash());
        byte[] leaf1 = Merkle.entryLeaf(chain.get(1).hash());
        byte[] leaf2 = Merkle.entryLeaf(chain.get(2).hash());
        assertThat(digest.payload().path("merkleRoot").asText())
                .isEqualTo(Merkle.hex(Merkle.nodeHash(Merkle.nodeHash(leaf0, leaf1), leaf2)));
        assertThat(digest.payload().path("fromSequence").asLong()).isZero();
        assertThat(digest.payload().path("toSequence").asLong()).isEqualTo(2);
        assertThat(digest.payload().path("records").asLong()).isEqualTo(3);
        assertThat(digest.payload().path("chainHead").asText()).isEqualTo(chain.get(2).hash());
    }
}
