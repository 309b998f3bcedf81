package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/** Every document of deploy/ parses into its typed model with no unknown field, under an apiVersion it serves. */
class StrictParsingTest {

    @Test
    void everyResourceParsesStrictlyIntoItsModel() {
        List<String> failures = new ArrayList<>();
        Set<String> kinds = new TreeSet<>();
        for (Manifests.Doc doc : Manifests.resources()) {
            kinds.add(doc.kind());
            try {
                if (Manifests.GENERIC.containsKey(doc.kind())) {
                    assertThat(doc.tree().path("apiVersion").asText()).as(doc.toString())
                            .isEqualTo(Manifests.GENERIC.get(doc.kind()));
                    Manifests.generic(doc);
                } else {
                    Manifests.typed(doc);
                }
            } catch (RuntimeException | AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(kinds).contains("Deployment", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser",
                "KafkaMirrorMaker2", "KafkaConnect", "KafkaConnector", "ServiceMonitor", "PrometheusRule",
                "NetworkPolicy", "PodDisruptionBudget", "StorageClass", "Certificate", "Issuer");
    }

    @Test
    void resourcesOutsideTheBaseNameTheirNamespace() {
        // The base sets namespace meridian for what it includes; overlays and components cannot, without also moving
        // the scaler actuator's RoleBinding out of the namespace it grants rights in.
        List<Path> base = List.of("base", "kafka", "services", "observability").stream().map(Repo.DEPLOY::resolve)
                .toList();
        for (Manifests.Doc doc : Manifests.resources()) {
            boolean inBase = base.stream().anyMatch(doc.file()::startsWith);
            boolean clusterScoped = Set.of("Namespace", "ClusterRole", "StorageClass").contains(doc.kind());
            if (!inBase && !clusterScoped) {
                assertThat(doc.tree().path("metadata").path("namespace").asText()).as(doc.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void everyPatchFileParsesStrictlyIntoItsModel() {
        assertThat(Manifests.patchFiles()).isNotEmpty();
        for (Path file : Manifests.patchFiles()) {
            Manifests.documents(file).forEach(Manifests::typed);
        }
    }

    @Test
    void aMisspelledKubernetesFieldFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deployment.yaml");
        Files.writeString(file, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          securityContext:
                            readOnlyRootFilsystem: true
                """);
        Manifests.Doc doc = Manifests.documents(file).get(0);
        assertThatThrownBy(() -> Manifests.typed(doc, Deployment.class)).hasMessageContaining("readOnlyRootFilsystem");
    }

    @Test
    void aMisspelledStrimziFieldFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topic.yaml");
        Files.writeString(file, """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: typo
                spec:
                  partition: 3
                """);
        Manifests.Doc doc = Manifests.documents(file).get(0);
        assertThatThrownBy(() -> Manifests.typed(doc, KafkaTopic.class)).hasMessageContaining("partition");
    }

    @Test
    void anApiVersionTheModelDoesNotServeFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deployment.yaml");
        Files.writeString(file, """
                apiVersion: extensions/v1beta1
                kind: Deployment
                metadata:
                  name: old
                """);
        Manifests.Doc doc = Manifests.documents(file).get(0);
        assertThatThrownBy(() -> Manifests.typed(doc, Deployment.class)).hasMessageContaining("apiVersion");
    }
}
