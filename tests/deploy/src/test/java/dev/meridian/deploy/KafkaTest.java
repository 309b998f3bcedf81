package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;

/**
 * The region's Kafka (KRaft, three zones, min ISR 2, authenticated and authorized) and one least-privilege user per
 * service.
 */
class KafkaTest {

    /**
     * Who produces each operational topic, from docs/architecture.md's flow (written out by hand, not derived from the
     * manifests): exactly this service may write it.
     */
    private static final Map<String, Set<String>> WRITERS = Map.ofEntries(
            Map.entry(TopicCatalog.METRICS_RAW, Set.of("metrics-ingest")),
            Map.entry(TopicCatalog.METRICS_NODE, Set.of("metrics-ingest")),
            Map.entry(TopicCatalog.METRICS_DLQ, Set.of("metrics-ingest")),
            Map.entry(TopicCatalog.UTILIZATION_NODE, Set.of("metrics-ingest")),
            Map.entry(TopicCatalog.UTILIZATION_POOL, Set.of("metrics-ingest")),
            Map.entry(TopicCatalog.FLEET_NODES, Set.of("metrics-ingest")),
            Map.entry(TopicCatalog.LATENCY, Set.of("metrics-ingest")),
            Map.entry(TopicCatalog.FLEET_INTERRUPTIONS, Set.of("metrics-ingest")),
            Map.entry(TopicCatalog.ROUTING_WEIGHTS, Set.of("scheduler")),
            Map.entry(TopicCatalog.SCALING_COMMANDS, Set.of("scaler")),
            Map.entry(TopicCatalog.COST_SPEND, Set.of("cost")),
            Map.entry(TopicCatalog.COST_BUDGET_STATUS, Set.of("cost")),
            Map.entry(TopicCatalog.COST_ALERTS, Set.of("cost")),
            Map.entry(TopicCatalog.AUDIT_LOG, Set.of("audit")),
            Map.entry(TopicCatalog.OPERATOR_ACTIONS, Set.of("scaler")),
            Map.entry(TopicCatalog.OPERATOR_ACTION_RESULTS, Set.of("scaler")),
            // Every service with an API reports the requests it refuses to the audit's input.
            Map.entry(TopicCatalog.AUDIT_OPERATIONS, Set.of("audit", "metrics-ingest", "scheduler", "scaler", "cost")));

    private static List<Manifests.Doc> docs;
    private static Map<String, KafkaUser> users;

    @BeforeAll
    static void read() {
        docs = Manifests.documents(Repo.DEPLOY.resolve("kafka/kafka.yaml"));
        docs = new ArrayList<>(docs);
        docs.addAll(Manifests.documents(Repo.DEPLOY.resolve("kafka/users.yaml")));
        users = Manifests.ofKind(docs, KafkaUser.class).values().stream()
                .collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
    }

    @Test
    void kafkaRunsKraftOnNodePoolsRackAwareWithMinInsyncReplicasTwo() {
        Kafka kafka = Manifests.ofKind(docs, Kafka.class).values().iterator().next();
        assertThat(kafka.getMetadata().getAnnotations()).containsEntry("strimzi.io/kraft", "enabled")
                .containsEntry("strimzi.io/node-pools", "enabled");
        assertThat(kafka.getSpec().getZookeeper()).isNull();
        assertThat(kafka.getSpec().getKafka().getRack().getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertThat(config).containsEntry("min.insync.replicas", 2).containsEntry("default.replication.factor", 3)
                .containsEntry("auto.create.topics.enable", false);
        assertThat(kafka.getSpec().getKafka().getAuthorization()).isInstanceOf(KafkaAuthorizationSimple.class);
        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            assertThat(listener.isTls()).as(listener.getName()).isTrue();
            assertThat(listener.getAuth()).as(listener.getName())
                    .isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
        }
    }

    @Test
    void oneNodePoolOfThreeCombinedNodesAcrossZones() {
        KafkaNodePool pool = Manifests.ofKind(docs, KafkaNodePool.class).values().iterator().next();
        assertThat(pool.getSpec().getReplicas()).isEqualTo(3);
        assertThat(pool.getSpec().getRoles()).containsExactlyInAnyOrder(ProcessRoles.BROKER, ProcessRoles.CONTROLLER);
        assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "meridian");
    }

    @Test
    void oneUserPerServiceAndOnlyTheOwnersWriteEachTopic() {
        for (String service : Repo.SERVICES) {
            assertThat(users).containsKey("meridian-" + service);
        }
        Map<String, Set<String>> writers = new HashMap<>();
        for (String service : Repo.SERVICES) {
            for (AclRule rule : acls("meridian-" + service)) {
                if (rule.getResource() instanceof AclRuleTopicResource topic && rule.getOperations()
                        .stream().anyMatch(op -> op == AclOperation.WRITE || op == AclOperation.ALL)
                        && topic.getPatternType() == AclResourcePatternType.LITERAL) {
                    writers.computeIfAbsent(topic.getName(), t -> new TreeSet<>()).add(service);
                }
            }
        }
        assertThat(writers).isEqualTo(WRITERS);
    }

    @Test
    void serviceAclsNameOnlyCatalogTopicsTheRegistryAndTheirOwnApplicationId() {
        Set<String> catalog = TopicCatalog.all().stream().map(TopicSpec::name).collect(Collectors.toSet());
        for (String service : Repo.SERVICES) {
            String appId = Properties.read(Repo.serviceProperties(service)).get("quarkus.kafka-streams.application-id");
            for (AclRule rule : acls("meridian-" + service)) {
                String what = service + " " + describe(rule);
                if (rule.getResource() instanceof AclRuleTopicResource topic) {
                    if (topic.getPatternType() == AclResourcePatternType.LITERAL) {
                        assertThat(catalog).as(what).contains(topic.getName());
                        assertThat(rule.getOperations()).as(what).doesNotContain(AclOperation.ALL);
                    } else if (topic.getName().equals(TopicCatalog.FLEET_CONFIG_PREFIX)) {
                        assertThat(rule.getOperations()).as(what)
                                .containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
                    } else {
                        assertThat(appId).as(what + ": internal topics of a Streams application").isNotNull();
                        assertThat(topic.getName()).as(what).isEqualTo(appId + "-");
                    }
                } else if (rule.getResource() instanceof AclRuleGroupResource group) {
                    assertThat(group.getName()).as(what).isEqualTo(appId);
                    assertThat(group.getPatternType()).as(what).isEqualTo(AclResourcePatternType.PREFIX);
                } else if (rule.getResource() instanceof AclRuleTransactionalIdResource tx) {
                    // A Streams service's transactions run under its application id; the scheduler's own
                    // transactional producer under meridian-scheduler-<home regions>.
                    assertThat(tx.getName()).as(what).isEqualTo(appId != null ? appId : "meridian-" + service + "-");
                    assertThat(tx.getPatternType()).as(what).isEqualTo(AclResourcePatternType.PREFIX);
                } else {
                    throw new AssertionError(what + ": services get topic, group and transactional id rules only");
                }
            }
        }
    }

    @Test
    void streamsServicesMayUseTheirApplicationIdForGroupsAndTransactions() {
        for (String service : Repo.SERVICES) {
            String appId = Properties.read(Repo.serviceProperties(service)).get("quarkus.kafka-streams.application-id");
            if (appId == null) {
                continue;
            }
            List<AclRule> rules = acls("meridian-" + service);
            assertThat(rules).as(service).anySatisfy(r -> assertThat(r.getResource())
                    .isInstanceOfSatisfying(AclRuleGroupResource.class, g -> assertThat(g.getName()).isEqualTo(appId)));
            assertThat(rules).as(service).anySatisfy(r -> assertThat(r.getResource())
                    .isInstanceOfSatisfying(AclRuleTransactionalIdResource.class,
                            t -> assertThat(t.getName()).isEqualTo(appId)));
        }
    }

    @Test
    void theSchedulerMayWriteWeightsTransactionallyUnderItsOwnPrefix() {
        assertThat(acls("meridian-scheduler")).anySatisfy(r -> assertThat(r.getResource())
                .isInstanceOfSatisfying(AclRuleTransactionalIdResource.class, t -> {
                    assertThat(t.getName()).isEqualTo("meridian-scheduler-");
                    assertThat(r.getOperations()).contains(AclOperation.WRITE, AclOperation.DESCRIBE);
                }));
    }

    @Test
    void theScalersActuatorGroupFallsUnderItsApplicationIdPrefix() {
        String group = Properties.read(Repo.serviceProperties("scaler"))
                .get("meridian.scaler.actuator.kubernetes.group-id");
        String appId = Properties.read(Repo.serviceProperties("scaler")).get("quarkus.kafka-streams.application-id");
        assertThat(group).startsWith(appId);
        String writerGroup = Properties.read(Repo.serviceProperties("audit")).get("meridian.audit.writer.group-id");
        assertThat(writerGroup).startsWith(Properties.read(Repo.serviceProperties("audit"))
                .get("quarkus.kafka-streams.application-id"));
    }

    @Test
    void peersReadOnlyTheCrossRegionTopics() {
        for (AclRule rule : acls("meridian-mirror-source")) {
            AclRuleTopicResource topic = (AclRuleTopicResource) rule.getResource();
            assertThat(rule.getOperations()).doesNotContain(AclOperation.WRITE, AclOperation.ALL);
            if (topic.getPatternType() == AclResourcePatternType.PREFIX) {
                assertThat(topic.getName()).isEqualTo(TopicCatalog.FLEET_CONFIG_PREFIX);
            } else if (!topic.getName().equals("heartbeats")) {
                assertThat(TopicCatalog.byName(topic.getName()).crossesRegions()).as(topic.getName()).isTrue();
            }
        }
    }

    static List<AclRule> acls(String user) {
        return ((KafkaUserAuthorizationSimple) users.get(user).getSpec().getAuthorization()).getAcls();
    }

    private static String describe(AclRule rule) {
        return rule.getResource().getClass().getSimpleName() + " " + rule.getOperations();
    }
}
