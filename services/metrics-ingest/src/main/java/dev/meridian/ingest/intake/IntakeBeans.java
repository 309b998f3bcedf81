package dev.meridian.ingest.intake;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.service.kafka.KafkaClientSettings;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Wires the intake's plain classes into CDI, so they stay usable without Quarkus in tests. */
@ApplicationScoped
public class IntakeBeans {

    /** Replaced by a fixed clock in tests that need one; every clock-skew decision reads it. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    SampleValidator sampleValidator(Clock clock, IngestConfig config) {
        return new SampleValidator(clock, config.window().grace(), config.intake().maxNoticeAge());
    }

    /**
     * The doors' producer. {@code acks=all} with idempotence: an acknowledged record is on every in-sync replica
     * and a retried send is never written twice, so "the broker acknowledged" means "it is not lost".
     */
    @Produces
    @Singleton
    Producer<byte[], byte[]> intakeProducer(KafkaClientSettings kafka, IngestConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        int timeout = (int) config.intake().deliveryTimeout().toMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        // The producer refuses delivery.timeout.ms < linger.ms + request.timeout.ms; half leaves room for one retry.
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout / 2, 30_000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeout);
        return kafka.newProducer("metrics-ingest-doors", props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void closeProducer(@Disposes Producer<byte[], byte[]> producer) {
        producer.close();
    }

    @Produces
    @Singleton
    IntakePublisher intakePublisher(Producer<byte[], byte[]> producer, IngestConfig config, Clock clock) {
        return new IntakePublisher(producer, config.intake().source(), clock);
    }
}
