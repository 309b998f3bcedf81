package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.3 only, wherever deploy/ speaks to Kafka: the brokers' TLS listeners, every service's clients (Quarkus' and
 * Kafka Streams'), Kafka Connect. These are the settings libs/testkit's {@code tls(true)} broker runs with, where
 * {@code KafkaTlsIT} shows a TLS 1.2-only client refused.
 */
class TransportSecurityTest {

    private static final String TLS13 = "TLSv1.3";

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
}
