package dev.meridian.scaler.actuator;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.registry.kafka.KafkaClientProperties;
import dev.meridian.scaler.config.ScalerConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
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
import org.apache.kafka.common.errors.WakeupException;
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
    private final MeterRegistry meters;
    private final Map<String, Object> kafka;
    private volatile boolean running;
    private volatile KafkaConsumer<String, ScaleCommand> consumer;
    private Thread thread;

    ActuatorLoop(ScalerConfig config, Instance<KubernetesClient> client, MeterRegistry meters,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config.actuator().kubernetes();
        this.client = client;
        this.meters = meters;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        Map<String, DeploymentRef> deployments = new HashMap<>();
        config.deployments().forEach((pool, deployment) -> deployments.put(pool, DeploymentRef.parse(deployment)));
        DeploymentActuator actuator = new DeploymentActuator(client.get(), deployments);
        // Quarkus' kafka.* settings (bootstrap servers, TLS, SASL), then the actuator's own.
        Map<String, Object> props = KafkaClientProperties.consumer(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), ContractSerdes.scaleCommand().deserializer());
        running = true;
        thread = new Thread(() -> run(actuator), "meridian-scaler-actuator");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Kubernetes actuator on for {}", deployments.keySet());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, ScaleCommand> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run(DeploymentActuator actuator) {
        try (KafkaConsumer<String, ScaleCommand> c = consumer) {
            c.subscribe(List.of(TopicCatalog.SCALING_COMMANDS));
            while (running) {
                for (ConsumerRecord<String, ScaleCommand> record : c.poll(Duration.ofMillis(500))) {
                    applyOne(actuator, record.value());
                }
                c.commitSync();
            }
        } catch (WakeupException stopping) {
            // shutdown
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
        meters.counter("meridian.scaler.actuator.applied", "action", command.action().name(), "result", result)
                .increment();
    }
}
