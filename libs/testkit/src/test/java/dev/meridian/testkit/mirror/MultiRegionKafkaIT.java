package dev.meridian.testkit.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.kafka.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ClassicGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class MultiRegionKafkaIT {

    private static final String MIRRORED = MirrorMakerRunner.remoteTopic("us-east", TopicCatalog.LATENCY);

    /**
     * A cut longer than the MirrorMaker worker's session makes the herder writing into the cut region rejoin its
     * group as a new member after the restore. Its copying must resume within seconds, not after Connect's
     * 5-minute wait for a lost worker to return.
     */
    @Test
    void aRegionCutOffForLongerThanMirrorMakersSessionIsCopiedToAgainSoonAfterTheRestore() throws Exception {
        try (MultiRegionKafka kafka = MultiRegionKafka.builder().regions("us-east", "eu-west").start();
                KafkaConsumer<String, String> westReader = consumer(kafka.cluster("eu-west"))) {
            westReader.subscribe(List.of(MIRRORED));
            produce(kafka.cluster("us-east"), "before the cut");
            awaitCopied(westReader, "before the cut", Duration.ofSeconds(60));

            kafka.cut("eu-west");
            try (Admin west = kafka.cluster("eu-west").admin()) {
                // The herder copying us-east into eu-west keeps its group on eu-west; the cut starves its
                // heartbeats until the coordinator drops it.
                await("the us-east->eu-west herder is dropped from its group").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> herderGroup(west).members().isEmpty());
            } finally {
                kafka.restore("eu-west");
            }
            long restored = System.nanoTime();
            produce(kafka.cluster("us-east"), "after the restore");
            awaitCopied(westReader, "after the restore", Duration.ofSeconds(60));
            long seconds = Duration.ofNanos(System.nanoTime() - restored).toSeconds();
            System.out.printf("[testkit] eu-west copied to again %d s after a cut that outlasted the session%n",
                    seconds);
            assertThat(seconds).as("seconds from the restore to the first new copy").isLessThan(60);
        }
    }

    private static ClassicGroupDescription herderGroup(Admin west) throws Exception {
        return west.describeClassicGroups(List.of("us-east-mm2")).all().get().get("us-east-mm2");
    }

    private static void produce(KafkaCluster cluster, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(TopicCatalog.LATENCY, "us-east/eu-west", value));
            producer.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer(KafkaCluster cluster) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "multi-region-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    private static void awaitCopied(KafkaConsumer<String, String> reader, String value, Duration within) {
        List<String> seen = new ArrayList<>();
        await("'" + value + "' copied to eu-west").atMost(within).until(() -> {
            for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(100))) {
                seen.add(record.value());
            }
            return seen.contains(value);
        });
    }
}
