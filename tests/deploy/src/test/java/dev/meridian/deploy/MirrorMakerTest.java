package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2;
import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2ClusterSpec;
import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2MirrorSpec;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;

/**
 * MirrorMaker 2 copies exactly the cross-region set of the catalog (pool aggregates, latency, spend aggregates and the
 * registry's configuration) and nothing else: never raw samples, node-level records or the audit trail. MirrorMaker
 * matches topicsPattern against the whole topic name (Pattern.matches), which is what is checked here.
 */
class MirrorMakerTest {

    /** Topics that must never leave their region, named one by one (the product's list, not the catalog's flag). */
    private static final List<String> NEVER_MIRRORED = List.of(TopicCatalog.METRICS_RAW, TopicCatalog.METRICS_NODE,
            TopicCatalog.METRICS_DLQ, TopicCatalog.UTILIZATION_NODE, TopicCatalog.FLEET_NODES,
            TopicCatalog.FLEET_INTERRUPTIONS, TopicCatalog.AUDIT_LOG, TopicCatalog.AUDIT_OPERATIONS);

    private static final String IDENTITY = "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";

    @Test
    void everyOverlayMirrorsExactlyTheCrossRegionSet() {
        Set<String> crossing = TopicCatalog.all().stream().filter(TopicSpec::crossesRegions).map(TopicSpec::name)
                .collect(Collectors.toSet());
        // The product's set, by hand: pool aggregates, latency, spend aggregates and every registry table.
        assertThat(crossing).contains(TopicCatalog.UTILIZATION_POOL, TopicCatalog.LATENCY, TopicCatalog.COST_SPEND)
                .containsAll(TopicCatalog.FLEET_CONFIG_TABLES.stream().map(TopicCatalog::fleetConfigTopic).toList())
                .hasSize(3 + TopicCatalog.FLEET_CONFIG_TABLES.size());
        for (Overlay overlay : Overlay.all()) {
            boolean registryHome = overlay.region().equals(overlay.registryHomeRegion());
            Set<String> mirrored = new HashSet<>();
            for (KafkaMirrorMaker2 mm2 : overlay.mirrorMakers()) {
                for (KafkaMirrorMaker2MirrorSpec mirror : mm2.getSpec().getMirrors()) {
                    Pattern pattern = Pattern.compile(mirror.getTopicsPattern());
                    TopicCatalog.all().stream().map(TopicSpec::name).filter(t -> pattern.matcher(t).matches())
                            .forEach(mirrored::add);
                }
            }
            Set<String> expected = new HashSet<>(crossing);
            if (registryHome) {
                // The registry's topics are written here by Debezium; they are mirrored out, never in.
                expected.removeIf(t -> t.startsWith(TopicCatalog.FLEET_CONFIG_PREFIX));
            }
            assertThat(mirrored).as(overlay.directoryName()).isEqualTo(expected);
        }
    }

    @Test
    void noPatternMatchesRawNodeLevelOrAuditTopicsNorACopy() {
        for (Overlay overlay : Overlay.all()) {
            for (KafkaMirrorMaker2 mm2 : overlay.mirrorMakers()) {
                for (KafkaMirrorMaker2MirrorSpec mirror : mm2.getSpec().getMirrors()) {
                    Pattern pattern = Pattern.compile(mirror.getTopicsPattern());
                    String what = overlay.directoryName() + " " + mm2.getMetadata().getName() + " from "
                            + mirror.getSourceCluster();
                    for (String topic : NEVER_MIRRORED) {
                        assertThat(pattern.matcher(topic).matches()).as(what + " matches " + topic).isFalse();
                    }
                    for (TopicSpec topic : TopicCatalog.all()) {
                        for (Overlay peer : Overlay.all()) {
                            String copy = peer.region() + "." + topic.name();
                            assertThat(pattern.matcher(copy).matches()).as(what + " matches the copy " + copy)
                                    .isFalse();
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyRegionMirrorsFromEveryOtherRegionIntoItself() {
        Set<String> regions = Overlay.all().stream().map(Overlay::region).collect(Collectors.toSet());
        for (Overlay overlay : Overlay.all()) {
            KafkaMirrorMaker2 main = overlay.mirrorMakers().stream()
                    .filter(m -> m.getMetadata().getName().equals("meridian")).findFirst().orElseThrow();
            Set<String> peers = new HashSet<>(regions);
            peers.remove(overlay.region());
            assertThat(main.getSpec().getConnectCluster()).isEqualTo(overlay.region());
            assertThat(main.getSpec().getMirrors()).extracting(KafkaMirrorMaker2MirrorSpec::getSourceCluster)
                    .as(overlay.directoryName() + " mirrors from").containsExactlyInAnyOrderElementsOf(peers);
            assertThat(main.getSpec().getMirrors()).extracting(KafkaMirrorMaker2MirrorSpec::getTargetCluster)
                    .containsOnly(overlay.region());
            for (KafkaMirrorMaker2ClusterSpec cluster : main.getSpec().getClusters()) {
                String expectedBootstrap = cluster.getAlias().equals(overlay.region()) ? "meridian-kafka-bootstrap:9093"
                        : "kafka." + cluster.getAlias() + ".meridian.internal:9094";
                assertThat(cluster.getBootstrapServers()).as(overlay.directoryName()).isEqualTo(expectedBootstrap);
            }
            // Copies keep their source in the name (<peer>.<topic>): the services tell them apart that way.
            main.getSpec().getMirrors().forEach(m -> assertThat(m.getSourceConnector().getConfig())
                    .doesNotContainKey("replication.policy.class"));
        }
    }

    @Test
    void theRegistryArrivesUnderItsOwnNamesFromTheRegistryHomeOnly() {
        for (Overlay overlay : Overlay.all()) {
            List<KafkaMirrorMaker2> registry = overlay.mirrorMakers().stream()
                    .filter(m -> !m.getMetadata().getName().equals("meridian")).toList();
            if (overlay.region().equals(overlay.registryHomeRegion())) {
                assertThat(registry).as(overlay.directoryName()).isEmpty();
                continue;
            }
            assertThat(registry).as(overlay.directoryName()).singleElement().satisfies(mm2 -> {
                assertThat(mm2.getSpec().getMirrors()).singleElement().satisfies(m -> {
                    assertThat(m.getSourceCluster()).isEqualTo(overlay.registryHomeRegion());
                    assertThat(m.getSourceConnector().getConfig()).containsEntry("replication.policy.class", IDENTITY)
                            .containsEntry("sync.topic.configs.enabled", "false");
                });
            });
        }
    }

    @Test
    void everyOverlayGrantsItsPeersCopiesToTheMirrorTheSchedulerAndCost() {
        for (Overlay overlay : Overlay.all()) {
            Set<String> peers = Overlay.all().stream().map(Overlay::region).filter(r -> !r.equals(overlay.region()))
                    .collect(Collectors.toSet());
            for (String user : List.of("meridian-mirror-maker", "meridian-scheduler", "meridian-cost")) {
                List<AclRule> rules = overlay.addedAcls(user);
                Set<String> prefixes = rules.stream().map(r -> (AclRuleTopicResource) r.getResource())
                        .peek(t -> assertThat(t.getPatternType()).isEqualTo(AclResourcePatternType.PREFIX))
                        .map(AclRuleTopicResource::getName).collect(Collectors.toSet());
                assertThat(prefixes).as(overlay.directoryName() + " " + user)
                        .isEqualTo(peers.stream().map(p -> p + ".").collect(Collectors.toSet()));
            }
        }
    }
}
