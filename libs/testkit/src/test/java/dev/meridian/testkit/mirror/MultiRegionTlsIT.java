package dev.meridian.testkit.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.kafka.AclProbe;
import dev.meridian.testkit.kafka.KafkaCluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code MultiRegionKafka.builder().secure(true)}: MirrorMaker copies between regions over SASL_SSL WAN listeners, as
 * deploy/'s MirrorMaker users and with nothing more than deploy/'s ACLs. That a record crosses at all proves those
 * ACLs sufficient for MirrorMaker; the refusals show the links are not open to anyone else.
 */
@Timeout(120)
class MultiRegionTlsIT {

    private static final String EAST = "us-east";
    private static final String WEST = "eu-west";
    private static final int CORRELATION_ID = 0x4d524431;
    private static final byte TLS_ALERT = 21;

    private static MultiRegionKafka kafka;

    @BeforeAll
    @Timeout(240)
    static void startFleet() {
        // Two clusters with TLS and MirrorMaker's first rebalance: slow on the shared 2-core machine.
        kafka = MultiRegionKafka.builder().regions(EAST, WEST).secure(true).mirrorTimeout(Duration.ofSeconds(150))
                .start();
    }

    @AfterAll
    static void stopFleet() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aRecordProducedInOneRegionArrivesUnderItsPrefixInTheOther() throws Exception {
        String value = "crossed over TLS " + System.nanoTime();
        // The kit's plaintext door: the producer plays a service, not what is under test.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.cluster(EAST).bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(TopicCatalog.LATENCY, "us-east/eu-west", value))
                    .get(30, TimeUnit.SECONDS);
        }

        String mirrored = MirrorMakerRunner.remoteTopic(EAST, TopicCatalog.LATENCY);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.cluster(WEST).bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "multi-region-tls-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // The copy's topic may appear only after the subscription; find it within a poll or two.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(mirrored));
            await("'" + value + "' copied to " + WEST + " as " + mirrored).atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.value());
                }
                return seen.contains(value);
            });
        }

        try (Admin west = kafka.cluster(WEST).admin()) {
            // The copying worker is in the Connect group deploy/ grants (Strimzi's), not dedicated mode's own.
            assertThat(west.describeClassicGroups(List.of(MultiRegionKafka.CONNECT_GROUP)).all().get()
                    .get(MultiRegionKafka.CONNECT_GROUP).members()).isNotEmpty();
        }
    }

    /**
     * A plaintext request, sent by hand: a plaintext Kafka client would read the broker's TLS alert as the size of a
     * 352 MB response and allocate it (KAFKA-4090), which a shared test JVM should not be put through.
     */
    @Test
    void theWanListenerRefusesAPlaintextClient() throws Exception {
        KafkaCluster east = kafka.cluster(EAST);
        // Controls: the same proxy answers SASL_SSL, and the same bytes get an answer from a plaintext listener.
        try (Admin secure = Admin.create(kafka.wanClientProperties(EAST, MultiRegionKafka.MIRROR_SOURCE_USER))) {
            assertThat(secure.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotBlank();
        }
        byte[] kitDoor = plaintextApiVersions(east.bootstrapServers().split(",")[0]);
        assertThat(kitDoor.length).as("bytes answered by the kit's plaintext listener").isGreaterThanOrEqualTo(8);
        assertThat(ByteBuffer.wrap(kitDoor).getInt(4)).as("correlation id of its answer").isEqualTo(CORRELATION_ID);

        byte[] wan = plaintextApiVersions(east.wanBootstrapServers());
        // The broker's TLS engine takes the request for a broken handshake: at most a TLS alert record (content type
        // 21), then the connection is closed; never a Kafka answer.
        assertThat(wan.length == 0 || wan[0] == TLS_ALERT)
                .as("the WAN listener answered a plaintext request with %s", HexFormat.of().formatHex(wan)).isTrue();
    }

    @Test
    void mirrorMakersPrincipalsCannotReadRawSamples() {
        Map<String, Object> source = kafka.wanClientProperties(EAST, MultiRegionKafka.MIRROR_SOURCE_USER);
        assertThat(AclProbe.read(source, TopicCatalog.LATENCY)).as("control: a topic it copies").isNull();
        assertThat(AclProbe.read(source, TopicCatalog.METRICS_RAW)).as("raw samples stay home")
                .isInstanceOf(TopicAuthorizationException.class);

        Map<String, Object> maker = kafka.wanClientProperties(EAST, MultiRegionKafka.MIRROR_MAKER_USER);
        assertThat(AclProbe.read(maker, TopicCatalog.METRICS_RAW)).as("nor does the local MirrorMaker read them")
                .isInstanceOf(TopicAuthorizationException.class);
    }

    /**
     * Sends an ApiVersions v0 request in plaintext to {@code hostPort} and returns what came back: its first 8 bytes or
     * more (size and correlation id) if the listener answered, fewer if it closed the connection first.
     */
    private static byte[] plaintextApiVersions(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        try (Socket socket = new Socket(host, Integer.parseInt(hostPort.substring(colon + 1)))) {
            // Fails the test with SocketTimeoutException if the listener neither answers nor closes.
            socket.setSoTimeout(15_000);
            byte[] clientId = "multi-region-tls-it".getBytes(StandardCharsets.US_ASCII);
            // Request header v1: api key 18 (ApiVersions), version 0, correlation id, client id; v0 has no body.
            ByteBuffer request = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + clientId.length);
            request.putInt(request.capacity() - 4).putShort((short) 18).putShort((short) 0).putInt(CORRELATION_ID)
                    .putShort((short) clientId.length).put(clientId);
            OutputStream out = socket.getOutputStream();
            out.write(request.array());
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[256];
            try {
                int read;
                while (answer.size() < 8 && (read = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, read);
                }
            } catch (SocketException reset) {
                // Closed by the broker (through the proxy) with data still unread: refused all the same.
            }
            return answer.toByteArray();
        }
    }
}
