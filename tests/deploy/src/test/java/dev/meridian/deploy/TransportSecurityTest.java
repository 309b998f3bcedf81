package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.common.template.AdditionalVolume;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.3 only, wherever deploy/ speaks to Kafka: the brokers' TLS listeners, every service's clients (Quarkus' and
 * Kafka Streams'), Kafka Connect. These are the settings libs/testkit's {@code tls(true)} broker runs with, where
 * {@code KafkaTlsIT} shows a TLS 1.2-only client refused. And verified TLS to PostgreSQL: every JDBC URL in deploy/
 * and the Debezium connector use {@code sslmode=verify-full} with a root certificate the pod mounts from a Secret.
 */
class TransportSecurityTest {

    private static final String TLS13 = "TLSv1.3";
    private static final String VERIFY_FULL = "verify-full";
    /** A PostgreSQL JDBC URL as written in a manifest, a properties file or the documentation. */
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://[^\\s\"'`<>)]+");

    @Test
    void theBrokersAcceptOnlyTls13() {
        Kafka kafka = Manifests.ofKind(Manifests.documents(Repo.DEPLOY.resolve("kafka/kafka.yaml")), Kafka.class)
                .values().iterator().next();
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertThat(config).containsEntry("ssl.enabled.protocols", TLS13).containsEntry("ssl.protocol", TLS13);
    }

    @Test
    void everyServicesKafkaClientsOfferOnlyTls13() {
        for (String service : Repo.SERVICES) {
            Map<String, String> properties = Properties.read(Repo.deployProperties(service));
            for (String prefix : new String[] {"kafka.", "kafka-streams."}) {
                if (!"SASL_SSL".equals(properties.get(prefix + "security.protocol"))) {
                    continue;
                }
                assertThat(properties).as(service + " " + prefix + "*")
                        .containsEntry(prefix + "ssl.enabled.protocols", TLS13)
                        .containsEntry(prefix + "ssl.protocol", TLS13);
            }
            assertThat(properties).as(service + " talks TLS to Kafka").containsEntry("kafka.security.protocol",
                    "SASL_SSL");
        }
    }

    @Test
    void kafkaConnectOffersOnlyTls13() {
        KafkaConnect connect = Manifests.ofKind(
                Manifests.documents(Repo.DEPLOY.resolve("registry/kafka-connect.yaml")), KafkaConnect.class)
                .values().iterator().next();
        assertThat(connect.getSpec().getConfig()).containsEntry("ssl.enabled.protocols", TLS13)
                .containsEntry("ssl.protocol", TLS13);
    }

    @Test
    void everyJdbcUrlInDeployVerifiesTheServersCertificateAndName() throws IOException {
        List<String> urls = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repo.DEPLOY)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                Matcher m = JDBC_URL.matcher(Repo.read(file));
                while (m.find()) {
                    urls.add(Repo.ROOT.relativize(file) + ": " + m.group());
                }
            }
        }
        // The audit store's at least: a search that finds nothing proves nothing.
        assertThat(urls).isNotEmpty();
        for (String url : urls) {
            Map<String, String> parameters = jdbcParameters(url);
            assertThat(parameters).as(url).containsEntry("sslmode", VERIFY_FULL);
            assertThat(parameters.get("sslrootcert")).as(url + " sslrootcert").isNotBlank();
        }
    }

    @Test
    void theRootCertificateOfEveryJdbcUrlIsMountedFromASecret() {
        Map<String, Deployment> deployments = new LinkedHashMap<>();
        Manifests.ofKind(Manifests.resources(), Deployment.class).values()
                .forEach(d -> deployments.put(d.getMetadata().getName(), d));
        int checked = 0;
        for (Deployment deployment : deployments.values()) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            for (Container c : pod.getContainers()) {
                for (EnvVar env : c.getEnv()) {
                    if (env.getValue() == null || !env.getValue().startsWith("jdbc:postgresql:")) {
                        continue;
                    }
                    String what = deployment.getMetadata().getName() + "/" + c.getName() + " " + env.getName();
                    String rootCert = jdbcParameters(env.getValue()).get("sslrootcert");
                    assertThat(rootCert).as(what + " sslrootcert").isNotBlank();
                    String directory = Path.of(rootCert).getParent().toString();
                    List<VolumeMount> mounts = c.getVolumeMounts().stream()
                            .filter(m -> m.getMountPath().equals(directory)).toList();
                    assertThat(mounts).as(what + ": a mount at " + directory).singleElement().satisfies(m -> {
                        assertThat(m.getReadOnly()).as(what + " read-only").isTrue();
                        assertThat(pod.getVolumes()).as(what + " volume " + m.getName()).anySatisfy(v -> {
                            assertThat(v.getName()).isEqualTo(m.getName());
                            assertThat(v.getSecret()).isNotNull();
                            assertThat(v.getSecret().getItems()).extracting(i -> i.getPath())
                                    .contains(Path.of(rootCert).getFileName().toString());
                        });
                    });
                    checked++;
                }
            }
        }
        // audit's MERIDIAN_AUDIT_DB_URL.
        assertThat(checked).isPositive();
    }

    @Test
    void theRegistryConnectorVerifiesTheDatabaseCertificateWithACaMountedIntoConnect() {
        List<Manifests.Doc> registry = Manifests.documents(Repo.DEPLOY.resolve("registry/kafka-connector.yaml"));
        KafkaConnector connector = Manifests.ofKind(registry, KafkaConnector.class).values().iterator().next();
        Map<String, Object> config = connector.getSpec().getConfig();
        assertThat(config).containsEntry("database.sslmode", VERIFY_FULL);
        String rootCert = String.valueOf(config.get("database.sslrootcert"));
        assertThat(config.get("database.sslrootcert")).as("database.sslrootcert").isNotNull();
        KafkaConnect connect = Manifests.ofKind(
                Manifests.documents(Repo.DEPLOY.resolve("registry/kafka-connect.yaml")), KafkaConnect.class)
                .values().iterator().next();
        assertThat(connector.getMetadata().getLabels()).containsEntry("strimzi.io/cluster",
                connect.getMetadata().getName());
        String directory = Path.of(rootCert).getParent().toString();
        List<VolumeMount> mounts = connect.getSpec().getTemplate().getConnectContainer().getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(directory)).toList();
        assertThat(mounts).as("Connect mounts " + directory).singleElement().satisfies(m -> {
            List<AdditionalVolume> volumes = connect.getSpec().getTemplate().getPod().getVolumes().stream()
                    .filter(v -> v.getName().equals(m.getName())).toList();
            assertThat(volumes).as("Connect volume " + m.getName()).singleElement().satisfies(v -> {
                assertThat(v.getSecret()).isNotNull();
                assertThat(v.getSecret().getItems()).extracting(i -> i.getPath())
                        .contains(Path.of(rootCert).getFileName().toString());
            });
        });
    }

    /** The query parameters of a JDBC URL ({@code ?a=b&c=d}); none without a query. */
    private static Map<String, String> jdbcParameters(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int query = url.indexOf('?');
        if (query < 0) {
            return parameters;
        }
        for (String pair : url.substring(query + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return parameters;
    }
}
