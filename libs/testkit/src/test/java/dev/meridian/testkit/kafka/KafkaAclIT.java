package dev.meridian.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.junit.KafkaClusterExtension;

import java.util.Map;

import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code KafkaCluster.builder().acls(KafkaUserAcls.fromDeploy())}: the broker authorizes as production does, with
 * deploy/'s KafkaUsers, deny by default. The services' own ITs prove their users sufficient; this proves the principals
 * that no service IT logs in as — MirrorMaker's — least-privilege, and that a user nobody declared gets nothing.
 */
@Timeout(90)
class KafkaAclIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.of(builder -> builder.name("acl")
            .acls(KafkaUserAcls.fromDeploy()).createCatalogTopics(true));

    @Test
    void mirrorSourceReadsTheCrossRegionTopicsAndNothingElse() {
        Map<String, Object> mirror = KAFKA.cluster().kafkaUser("meridian-mirror-source");

        assertThat(AclProbe.read(mirror, TopicCatalog.UTILIZATION_POOL)).as("pool aggregates are mirrored").isNull();
        assertThat(AclProbe.read(mirror, TopicCatalog.METRICS_RAW)).as("raw samples stay home")
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(AclProbe.read(mirror, TopicCatalog.AUDIT_LOG)).as("the audit log stays home")
                .isInstanceOf(TopicAuthorizationException.class);
        // Refused before the topic is even looked at: a principal with no Write anywhere gets no producer id.
        assertThat(AclProbe.write(mirror, TopicCatalog.UTILIZATION_POOL)).as("a source is only read")
                .isInstanceOf(ClusterAuthorizationException.class);
    }

    @Test
    void ingestCannotReadTheAuditLogNorWriteDecisions() {
        Map<String, Object> ingest = KAFKA.cluster().kafkaUser("meridian-metrics-ingest");

        assertThat(AclProbe.write(ingest, TopicCatalog.METRICS_RAW)).isNull();
        assertThat(AclProbe.read(ingest, TopicCatalog.AUDIT_LOG)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(AclProbe.write(ingest, TopicCatalog.SCALING_COMMANDS)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aUserWithoutAKafkaUserManifestIsNeitherCreatedNorAllowedAnything() {
        assertThatThrownBy(() -> KAFKA.cluster().kafkaUser("meridian-typo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no KafkaUser meridian-typo");

        KAFKA.cluster().scramUser("stranger", "a password nobody granted anything");
        Map<String, Object> stranger = KAFKA.cluster().clientProperties("stranger", "a password nobody granted anything");
        assertThat(AclProbe.read(stranger, TopicCatalog.UTILIZATION_POOL)).as("deny by default")
                .isInstanceOf(TopicAuthorizationException.class);
    }
}
