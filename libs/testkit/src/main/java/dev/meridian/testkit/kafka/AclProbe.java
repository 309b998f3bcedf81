package dev.meridian.testkit.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a login may not do, tried for real: one write, one read, each answering with the broker's authorization error
 * or null when the broker let it through. Least privilege is shown by the refusals, sufficiency by the service's IT
 * working at all.
 */
public final class AclProbe {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private AclProbe() {
    }

    /**
     * What a login may do that it should not, or may not do that it must: each of {@code refusedWrites} and
     * {@code refusedReads} tried and expected refused, {@code allowedRead} tried and expected allowed (so a refusal is
     * the ACLs', not the probe's). Empty when the login is exactly as privileged as that.
     */
    public static List<String> surprises(Map<String, Object> login, List<String> refusedWrites,
            List<String> refusedReads, String allowedRead) {
        List<String> surprises = new ArrayList<>();
        for (String topic : refusedWrites) {
            if (write(login, topic) == null) {
                surprises.add("may write " + topic);
            }
        }
        for (String topic : refusedReads) {
            if (read(login, topic) == null) {
                surprises.add("may read " + topic);
            }
        }
        AuthorizationException refused = read(login, allowedRead);
        if (refused != null) {
            surprises.add("may not read " + allowedRead + ": " + refused.getMessage());
        }
        return surprises;
    }

    /**
     * Writes one record to partition 0 of {@code topic} with {@code connection} (bootstrap servers, security protocol,
     * SASL and TLS settings); returns the broker's refusal, or null when the write was acknowledged.
     */
    public static AuthorizationException write(Map<String, Object> connection, String topic) {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "acl-probe-write");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) PATIENCE.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) PATIENCE.toMillis() + 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PATIENCE.toMillis() - 5_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, null, "acl-probe".getBytes()))
                    .get(PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS);
            return null;
        } catch (AuthorizationException e) {
            return e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException refused) {
                return refused;
            }
            throw new IllegalStateException("writing to " + topic + " failed for another reason", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("writing to " + topic + " neither succeeded nor was refused", e);
        }
    }

    /**
     * Reads partition 0 of {@code topic} from the beginning, without a consumer group; returns the broker's refusal, or
     * null when fetching was allowed (whether or not the partition held records).
     */
    public static AuthorizationException read(Map<String, Object> connection, String topic) {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "acl-probe-read");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Instant until = Instant.now().plus(PATIENCE);
            // A position answered by the broker means ListOffsets passed; the fetch after it is what Read guards.
            while (Instant.now().isBefore(until)) {
                consumer.poll(Duration.ofMillis(200));
                if (consumer.assignment().contains(partition) && positionKnown(consumer, partition)) {
                    consumer.poll(Duration.ofMillis(500));
                    return null;
                }
            }
            throw new IllegalStateException("reading " + topic + " neither succeeded nor was refused");
        } catch (AuthorizationException e) {
            return e;
        }
    }

    private static boolean positionKnown(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition) {
        return consumer.position(partition, Duration.ofSeconds(1)) >= 0;
    }
}
