package dev.meridian.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaUserAclsTest {

    @TempDir
    Path dir;

    @Test
    void strimziRulesBecomeOneBindingPerOperation() throws IOException {
        Path manifest = write("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ignored}
                ---
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaUser
                metadata: {name: svc}
                spec:
                  authentication: {type: scram-sha-512}
                  authorization:
                    type: simple
                    acls:
                      - resource: {type: topic, name: svc-, patternType: prefix}
                        operations: [DescribeConfigs, IdempotentWrite]
                      - resource: {type: cluster}
                        operations: [Describe]
                      - resource: {type: group, name: svc}
                        type: deny
                        operations: [Read]
                """);

        KafkaUserAcls acls = KafkaUserAcls.read(manifest);

        assertThat(acls.users()).containsExactly("svc");
        assertThat(acls.of("svc")).hasSize(4).allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:svc"));
        assertThat(acls.of("svc").get(0).pattern().patternType()).isEqualTo(PatternType.PREFIXED);
        assertThat(acls.of("svc")).extracting(b -> b.entry().operation()).containsExactly(
                AclOperation.DESCRIBE_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.DESCRIBE, AclOperation.READ);
        assertThat(acls.of("svc").get(2).pattern().resourceType()).isEqualTo(ResourceType.CLUSTER);
        assertThat(acls.of("svc").get(3).entry().permissionType()).isEqualTo(AclPermissionType.DENY);
        assertThat(acls.of("svc").get(3).pattern().patternType()).as("literal by default").isEqualTo(PatternType.LITERAL);
    }

    @Test
    void whatItDoesNotUnderstandIsRefusedNotGuessed() throws IOException {
        assertThatThrownBy(() -> KafkaUserAcls.read(write(user("operations: [Read, Fly]"))))
                .hasMessageContaining("unknown operation Fly");
        assertThatThrownBy(() -> KafkaUserAcls.read(write(user("operations: []"))))
                .hasMessageContaining("names no operations");
        assertThatThrownBy(() -> KafkaUserAcls.read(write(user("operations: [Read]").replace("type: topic",
                "type: delegationToken")))).hasMessageContaining("unknown resource type");
        assertThatThrownBy(() -> KafkaUserAcls.read(write(user("operations: [Read]")).toAbsolutePath())
                .of("other")).hasMessageContaining("no KafkaUser other");
    }

    @Test
    void deploysUsersAreFoundFromAnyModuleAndEveryServiceHasOne() {
        assertThat(KafkaUserAcls.fromDeploy().users()).contains("meridian-metrics-ingest", "meridian-scheduler",
                "meridian-scaler", "meridian-cost", "meridian-audit", "meridian-mirror-source");
    }

    private static String user(String operations) {
        return """
                kind: KafkaUser
                metadata: {name: svc}
                spec:
                  authorization:
                    type: simple
                    acls:
                      - resource: {type: topic, name: t}
                        %s
                """.formatted(operations);
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "users", ".yaml"), yaml);
    }
}
