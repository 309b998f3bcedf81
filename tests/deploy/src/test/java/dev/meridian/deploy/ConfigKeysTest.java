package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Every configuration key deploy/ sets exists in the service it configures. A key of a manifest's properties file
 * (deploy/services/&lt;service&gt;/application.properties, and the scaler actuator component's file) counts as
 * existing when
 * <ol>
 * <li>the service's own application.properties sets it, in any profile; or</li>
 * <li>it is a property of one of the service's {@code @ConfigMapping} interfaces (by reflection); or</li>
 * <li>it is {@code kafka.<name>} with a Kafka producer, consumer or admin configuration name (Quarkus hands every
 * {@code kafka.*} key to the Kafka clients it builds); or</li>
 * <li>it is {@code kafka-streams.<name>} with a Kafka Streams or client configuration name (Quarkus passes them to
 * Kafka Streams, which passes client names on to its clients).</li>
 * </ol>
 * Environment variables: each one a Deployment sets is referenced as {@code ${NAME}} by the service's or the
 * manifest's properties (or is {@code QUARKUS_CONFIG_LOCATIONS}, Quarkus' own), and each {@code ${NAME}} production
 * resolves is set.
 */
class ConfigKeysTest {

    private static final Map<String, String> ROOT_PACKAGES = Map.of("metrics-ingest", "dev.meridian.ingest",
            "scheduler", "dev.meridian.scheduler", "scaler", "dev.meridian.scaler", "cost", "dev.meridian.cost",
            "audit", "dev.meridian.audit");

    /** The actuator component's file is read by the scaler too (quarkus.config.locations). */
    private static final Path ACTUATOR = Repo.DEPLOY.resolve("components/scaler-actuator/actuator.properties");

    private static final Set<String> QUARKUS_ENV = Set.of("QUARKUS_CONFIG_LOCATIONS");

    private static List<Path> manifestFiles(String service) {
        List<Path> files = new ArrayList<>(List.of(Repo.deployProperties(service)));
        if (service.equals("scaler")) {
            files.add(ACTUATOR);
        }
        return files;
    }

    @Test
    void everyKeyAManifestSetsExistsInTheService() {
        Set<String> clientNames = new HashSet<>(ProducerConfig.configNames());
        clientNames.addAll(ConsumerConfig.configNames());
        clientNames.addAll(AdminClientConfig.configNames());
        Set<String> streamsNames = new HashSet<>(StreamsConfig.configDef().names());
        streamsNames.addAll(clientNames);

        List<String> unknown = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            Set<String> own = Properties.keysInAnyProfile(Repo.serviceProperties(service));
            List<String> mapped = ConfigMappings.patterns(ROOT_PACKAGES.get(service));
            assertThat(mapped).as(service + " has a @ConfigMapping").isNotEmpty();
            for (Path file : manifestFiles(service)) {
                for (String key : Properties.read(file).keySet()) {
                    boolean exists = own.contains(key)
                            || mapped.stream().anyMatch(p -> ConfigMappings.matches(p, key))
                            || key.startsWith("kafka.") && clientNames.contains(key.substring("kafka.".length()))
                            || key.startsWith("kafka-streams.")
                                    && streamsNames.contains(key.substring("kafka-streams.".length()));
                    if (!exists) {
                        unknown.add(service + ": " + key + " (" + Repo.ROOT.relativize(file) + ")");
                    }
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void theRuleRefusesWhatNoServiceReads() {
        List<String> mapped = ConfigMappings.patterns("dev.meridian.scaler");
        assertThat(mapped).contains("meridian.scaler.home-regions", "meridian.scaler.policy.max-step",
                "meridian.scaler.actuator.kubernetes.deployments.*");
        assertThat(mapped).anyMatch(p -> ConfigMappings.matches(p,
                "meridian.scaler.actuator.kubernetes.deployments.\"us-east/gpu-core\""));
        assertThat(mapped).noneMatch(p -> ConfigMappings.matches(p, "meridian.scaler.home-region"));
        assertThat(mapped).noneMatch(p -> ConfigMappings.matches(p, "meridian.scaler.policy.maxStep"));
    }

    @Test
    void everyEnvironmentVariableIsReadAndEveryReadOneIsSet() {
        Map<String, Deployment> deployments = new LinkedHashMap<>();
        Manifests.ofKind(Manifests.resources(), Deployment.class).values()
                .forEach(d -> deployments.put(d.getMetadata().getName(), d));
        for (String service : Repo.SERVICES) {
            Set<String> set = new TreeSet<>();
            for (Container c : deployments.get(service).getSpec().getTemplate().getSpec().getContainers()) {
                c.getEnv().stream().map(EnvVar::getName).forEach(set::add);
                assertThat(c.getEnvFrom()).as(service + ": every variable by name, so each is checked").isNullOrEmpty();
            }
            Map<String, String> production = new LinkedHashMap<>();
            Properties.read(Repo.serviceProperties(service)).forEach((k, v) -> {
                if (!k.startsWith("%") || k.startsWith("%prod.")) {
                    production.put(k, v);
                }
            });
            for (Path file : manifestFiles(service)) {
                production.putAll(Properties.read(file));
            }
            if (Repo.servesApi(service)) {
                // The identity model every service with an API reads (libs/service-support), below its own file.
                Properties.read(Repo.IDENTITY_PROPERTIES).forEach((k, v) -> {
                    if (!k.startsWith("%") || k.startsWith("%prod.")) {
                        production.putIfAbsent(k, v);
                    }
                });
            }
            Set<String> referenced = Properties.environmentReferences(production);
            Set<String> unread = new TreeSet<>(set);
            unread.removeAll(referenced);
            assertThat(unread).as(service + ": variables nothing reads").isEmpty();
            assertThat(set).as(service + ": variables production reads").containsAll(referenced);
        }
        Set<String> actuatorEnv = new TreeSet<>();
        Manifests.documents(Repo.DEPLOY.resolve("components/scaler-actuator/scaler-patch.yaml")).forEach(doc ->
                Manifests.typed(doc, Deployment.class).getSpec().getTemplate().getSpec().getContainers()
                        .forEach(c -> c.getEnv().forEach(e -> actuatorEnv.add(e.getName()))));
        assertThat(QUARKUS_ENV).containsAll(actuatorEnv);
    }
}
