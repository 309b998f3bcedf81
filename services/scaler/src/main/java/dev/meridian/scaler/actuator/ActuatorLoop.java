package dev.meridian.scaler.actuator;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.scaler.config.ScalerConfig;
import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.service.kafka.KafkaLoop;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads committed commands and applies them with {@link DeploymentActuator}; offsets are committed after a batch is
 * applied, so a crash re-applies at most that batch, which the actuator's idempotent operations absorb.
 */
@ApplicationScoped
public class ActuatorLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ActuatorLoop.class);

    private final ScalerConfig.Actuator.Kubernetes config;
    private final Instance<KubernetesClient> client;
    private final ActuatorMetrics metrics;
    private final KafkaClientSettings kafka;
    private volatile KafkaLoop loop;

    ActuatorLoop(ScalerConfig config, Instance<KubernetesClient> client, ActuatorMetrics metrics,
            KafkaClientSettings kafka) {
        this.config = config.actuator().kubernetes();
        this.client = client;
        this.metrics = metrics;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        Map<String, DeploymentRef> deployments = new HashMap<>();
        config.deployments().forEach((pool, deployment) -> deployments.put(pool, DeploymentRef.parse(deployment)));
        DeploymentActuator actuator = new DeploymentActuator(client.get(), deployments);
        loop = KafkaLoop.start("meridian-scaler-actuator", Duration.ofSeconds(1), running -> run(running, actuator));
        LOG.info("Kubernetes actuator on for {}", deployments.keySet());
    }

    void stop(@Observes ShutdownEvent event) {
        KafkaLoop l = loop;
        if (l != null) {
            l.stop(Duration.ofSeconds(10));
        }
    }

    private void run(KafkaLoop running, DeploymentActuator actuator) {
        Map<String, Object> own = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, ScaleCommand> c = running.wakeOnStop(kafka.newConsumer("meridian-scaler-actuator",
                own, new StringDeserializer(), ContractSerdes.scaleCommand().deserializer()))) {
            c.subscribe(List.of(TopicCatalog.SCALING_COMMANDS));
            while (running.running()) {
                for (ConsumerRecord<String, ScaleCommand> record : c.poll(Duration.ofMillis(500))) {
                    applyOne(actuator, record.value());
                }
                c.commitSync();
            }
        }
    }
    private void applyOne(DeploymentActuator actuator, ScaleCommand command) {
        if (command == null) {
            return;
        }
        String result;
        try {
            result = actuator.apply(command).name();
        } catch (RuntimeException e) {
            // the API server refused or is away: logged and counted, the next command is still applied
            LOG.warn("{} {} not applied: {}", command.commandId(), command.action(), e.getMessage());
            result = "FAILED";
        }
        metrics.applied(command.action(), result);
    }
}
