package dev.meridian.registry.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/registry/kafka-connector.yaml must carry exactly the configuration {@link RegistryConnector} renders, so
 * production runs the connector the in-process tests exercise. When this fails after a builder change, the failure
 * message holds the config block to paste into the manifest.
 */
class RegistryConnectorManifestTest {

    /** surefire passes the repository root; the fallback serves an IDE whose working directory is the module. */
    private static final Path MANIFEST = Path.of(System.getProperty("meridian.root", "../.."))
            .resolve("deploy/registry/kafka-connector.yaml");

    /** The Secret the production password is read from, through the worker's KubernetesSecretConfigProvider. */
    private static final String PASSWORD_PLACEHOLDER = "${secrets:meridian/registry-db:password}";

    /**
     * Keys Strimzi fills in from metadata.name, spec.class and spec.tasksMax; it refuses them in spec.config
     * (KafkaConnectorSpec reference: "cannot be set: name, connector.class, tasks.max").
     */
    private static final Set<String> STRIMZI_MANAGED = Set.of("name", "connector.class", "tasks.max");

    /**
     * The fields of Strimzi's KafkaConnectorSpec. The CRD's structural schema prunes anything else, so a typo such
     * as {@code taskMax} would be silently dropped in the cluster rather than refused.
     */
    private static final Set<String> KAFKA_CONNECTOR_SPEC_FIELDS = Set.of("class", "tasksMax", "autoRestart", "config",
            "pause", "state", "listOffsets", "alterOffsets");

    private static JsonNode manifest;

    /** The production builder call; the manifest's hand-written values (host, user, secret) mirror these. */
    static Map<String, String> productionBuild() {
        return RegistryConnector.builder()
                .database("registry-db.meridian.svc.cluster.local", 5432, "meridian")
                .credentials("debezium", PASSWORD_PLACEHOLDER)
                // A production Kafka has at least three brokers; the registry topics are the source of truth for
                // every service, so they must not depend on a broker default should the connector create them.
                .replicationFactor(3)
                // The CA of the registry database, mounted from the postgres-ca Secret into Kafka Connect.
                .verifiedTls("/mnt/postgres-ca/ca.crt")
                .build();
    }

    @BeforeAll
    static void readManifest() throws IOException {
        // Jackson keeps the last of two equal keys by default, which would hide a stale duplicate entry.
        YAMLMapper yaml = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        manifest = yaml.readTree(MANIFEST.toFile());
    }

    @Test
    void isAStrimziKafkaConnectorOfTheConnectCluster() {
        assertThat(fieldNames(manifest)).containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "spec");
        assertThat(manifest.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
        assertThat(manifest.path("kind").asText()).isEqualTo("KafkaConnector");
        assertThat(manifest.path("metadata").path("name").asText()).isEqualTo(RegistryConnector.NAME);
        assertThat(manifest.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                .isEqualTo("meridian-connect");
        assertThat(KAFKA_CONNECTOR_SPEC_FIELDS).containsAll(fieldNames(manifest.path("spec")));
    }

    @Test
    void classAndTasksMaxAreTheBuildersConnectorClassAndTasksMax() {
        Map<String, String> build = productionBuild();
        JsonNode spec = manifest.path("spec");

        assertThat(spec.path("class").isTextual()).as("spec.class is a string").isTrue();
        assertThat(spec.path("class").asText()).isEqualTo(build.get("connector.class"))
                .isEqualTo("io.debezium.connector.postgresql.PostgresConnector");
        // The CRD declares tasksMax an integer; a quoted "1" would be refused by the API server.
        assertThat(spec.path("tasksMax").isInt()).as("spec.tasksMax is an integer").isTrue();
        assertThat(spec.path("tasksMax").asInt()).isEqualTo(Integer.parseInt(build.get("tasks.max"))).isEqualTo(1);
    }

    @Test
    void configIsExactlyTheProductionBuildWithoutTheKeysStrimziManages() {
        JsonNode config = manifest.path("spec").path("config");
        assertThat(config.isObject()).as("spec.config is a map").isTrue();

        Map<String, String> actual = new LinkedHashMap<>();
        Set<String> notStrings = new TreeSet<>();
        config.properties().forEach(entry -> {
            // Quoted strings only: unquoted YAML turns values such as `no`, `off` or `0x10` into something else.
            if (!entry.getValue().isTextual()) {
                notStrings.add(entry.getKey());
            }
            actual.put(entry.getKey(), entry.getValue().asText());
        });
        Map<String, String> expected = new LinkedHashMap<>(productionBuild());
        expected.keySet().removeAll(STRIMZI_MANAGED);

        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        Map<String, String> differing = new TreeMap<>();
        expected.forEach((key, value) -> {
            if (actual.containsKey(key) && !actual.get(key).equals(value)) {
                differing.put(key, "manifest <" + actual.get(key) + "> but RegistryConnector <" + value + ">");
            }
        });

        String help = "\nmissing: " + missing + "\nextra: " + extra + "\ndiffering: " + differing
                + "\nnot quoted strings: " + notStrings + "\nspec.config should be:\n" + render(expected);
        assertThat(missing).as(help).isEmpty();
        assertThat(extra).as(help).isEmpty();
        assertThat(differing).as(help).isEmpty();
        assertThat(notStrings).as(help).isEmpty();
    }

    @Test
    void leavesTheKeysStrimziManagesOutOfConfig() {
        assertThat(fieldNames(manifest.path("spec").path("config"))).doesNotContainAnyElementsOf(STRIMZI_MANAGED);
    }

    @Test
    void readsThePasswordFromTheSecretInsteadOfHoldingIt() {
        assertThat(manifest.path("spec").path("config").path("database.password").asText())
                .isEqualTo(PASSWORD_PLACEHOLDER);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.properties().forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    /** The config block as YAML lines ready to paste under {@code spec:}, in the builder's order. */
    private static String render(Map<String, String> config) {
        StringBuilder out = new StringBuilder("  config:\n");
        // Single quotes keep backslashes and ${...} literal; a single quote inside is written twice.
        config.forEach((key, value) -> out.append("    ").append(key).append(": '")
                .append(value.replace("'", "''")).append("'\n"));
        return out.toString();
    }
}
