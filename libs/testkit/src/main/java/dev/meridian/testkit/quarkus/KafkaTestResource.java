package dev.meridian.testkit.quarkus;

import dev.meridian.testkit.kafka.KafkaCluster;
import dev.meridian.testkit.kafka.KafkaUserAcls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A real Kafka broker for a {@code @QuarkusTest}, with the catalog topics created:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(KafkaTestResource.class)
 * class RoutingWeightsTest { ... }
 * }</pre>
 *
 * Init args: {@code brokers} (1 or 3, default 1), {@code catalog-topics} (default true), and {@code kafka-user}: the
 * name of a {@code KafkaUser} of deploy/kafka/users.yaml. With it the broker is the production one in miniature —
 * SASL_SSL with SCRAM-SHA-512 over TLS 1.3, deny by default, deploy/'s ACLs — and the service logs in as that user:
 * every {@code kafka.*} and {@code kafka-streams.*} setting it gets is what its deploy/ properties set, with this run's
 * CA and password. So the IT proves the service's ACLs sufficient.
 *
 * <p>{@code peers} (with {@code kafka-user}): comma-separated region aliases whose mirrored topics ({@code <peer>.*})
 * the user may read, as each overlay's patch of the scheduler's and cost's {@code KafkaUser} grants (Read and Describe
 * on the prefix {@code <peer>.}).
 *
 * <p>The test's own clients, which play the other services, use {@value #TEST_CLIENTS_BOOTSTRAP}: the kit's plaintext
 * listener, where nothing is refused. It is set with or without {@code kafka-user}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BROKERS_ARG = "brokers";
    public static final String CATALOG_TOPICS_ARG = "catalog-topics";
    public static final String KAFKA_USER_ARG = "kafka-user";
    public static final String PEERS_ARG = "peers";
    /** Bootstrap servers for the test's own clients: plaintext, never refused. */
    public static final String TEST_CLIENTS_BOOTSTRAP = "meridian.test.kafka.bootstrap-servers";

    private int brokers = 1;
    private boolean catalogTopics = true;
    private String kafkaUser;
    private List<String> peers = List.of();
    private KafkaCluster cluster;

    @Override
    public void init(Map<String, String> initArgs) {
        brokers = Integer.parseInt(initArgs.getOrDefault(BROKERS_ARG, "1"));
        catalogTopics = Boolean.parseBoolean(initArgs.getOrDefault(CATALOG_TOPICS_ARG, "true"));
        kafkaUser = initArgs.get(KAFKA_USER_ARG);
        String peerList = initArgs.getOrDefault(PEERS_ARG, "").strip();
        peers = peerList.isEmpty() ? List.of() : List.of(peerList.split("\\s*,\\s*"));
    }

    @Override
    public Map<String, String> start() {
        KafkaCluster.Builder builder = KafkaCluster.builder().name("quarkus-test").brokers(brokers)
                .createCatalogTopics(catalogTopics);
        if (kafkaUser != null) {
            builder.acls(KafkaUserAcls.fromDeploy());
        }
        cluster = builder.start();
        Map<String, String> config = new HashMap<>();
        config.put(TEST_CLIENTS_BOOTSTRAP, cluster.bootstrapServers());
        if (kafkaUser == null) {
            config.put("kafka.bootstrap.servers", cluster.bootstrapServers());
            config.put("quarkus.kafka-streams.bootstrap-servers", cluster.bootstrapServers());
            return config;
        }
        Map<String, Object> login = cluster.kafkaUser(kafkaUser);
        List<AclBinding> mirrored = new ArrayList<>();
        for (String peer : peers) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                mirrored.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, peer + ".", PatternType.PREFIXED),
                        new AccessControlEntry(KafkaUserAcls.principal(kafkaUser), "*", operation,
                                AclPermissionType.ALLOW)));
            }
        }
        cluster.grant(mirrored);
        login.forEach((key, value) -> {
            config.put("kafka." + key, String.valueOf(value));
            config.put("kafka-streams." + key, String.valueOf(value));
        });
        config.put("quarkus.kafka-streams.bootstrap-servers", cluster.secureBootstrapServers());
        return config;
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
