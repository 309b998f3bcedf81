package dev.meridian.scaler.messaging;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.scaler.config.ScalerConfig;
import dev.meridian.service.kafka.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.ServiceUnavailableException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes an operator's action to {@code meridian.operator.actions.v1} with the operator as the CloudEvents auth
 * context, and answers only once the broker has acknowledged it: an action the API accepted is on the topic.
 */
@ApplicationScoped
public class ActionPublisher {

    private final KafkaProducer<String, OperatorAction> producer;
    private final ScalerConfig config;

    ActionPublisher(KafkaClientSettings kafka, ScalerConfig config) {
        this.config = config;
        this.producer = kafka.newProducer("meridian-scaler-actions", Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.actions().publishTimeout().toMillis()),
                new StringSerializer(), ContractSerdes.operatorAction().serializer());
    }

    /** @throws ServiceUnavailableException (503) when the broker did not acknowledge within the timeout */
    public void publish(OperatorAction action) {
        ProducerRecord<String, OperatorAction> record = new ProducerRecord<>(TopicCatalog.OPERATOR_ACTIONS,
                action.key(), action);
        CloudEventHeaders.write(record.headers(), new CloudEventAttributes(action.actionId(), config.source(),
                ContractType.OPERATOR_ACTION.ceType(), action.requestedAt(), action.region()));
        AuthContext.user(action.actor()).writeTo(record.headers());
        try {
            producer.send(record).get(config.actions().publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while publishing the action");
        } catch (ExecutionException | TimeoutException e) {
            throw new ServiceUnavailableException("the action could not be published: " + e.getMessage());
        }
    }

    void close(@Observes ShutdownEvent event) {
        producer.close();
    }
}
