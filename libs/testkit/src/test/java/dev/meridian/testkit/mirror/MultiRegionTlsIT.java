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
import java.util.Arrays;
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
 * {@code MultiRegionKafka.builder().secure(true)}: MirrorMaker copies between three regions over SASL_SSL WAN
 * listeners, as deploy/'s MirrorMaker users and with nothing more than deploy/'s ACLs, one Connect worker per region
 * in the one Connect group deploy/ grants, whatever the number of peers. That a record crosses at all proves those
 * ACLs sufficient for MirrorMaker; the refusals show the links are not open to anyone else.
 */
@Timeout(120)
class MultiRegionTlsIT {

    private static final String EAST = "us-east";
    private static final String WEST = "eu-west";
    private static final String CENTRAL = "eu-central";
    private static final List<String> REGIONS = List.of(EAST, WEST, CENTRAL);
    private static final int CORRELATION_ID = 0x4d524431;
    private static final byte TLS_ALERT = 21;

    private static MultiRegionKafka kafka;

    @BeforeAll
    @Timeout(240)
    static void startFleet() {
        // Three clusters with TLS and three Connect workers' first rebalances: slow on the shared 2-core machine.
        kafka = MultiRegionKafka.builder().regions(EAST, WEST, CENTRAL).secure(true)
                .mirrorTimeout(Duration.ofSeconds(150)).start();
    }

    @AfterAll
    static void stopFleet() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void recordsOfTwoPeersArriveUnderTheirPrefixesInTheThird() throws Exception {
        String fromEast = produce(EAST, "crossed over TLS from " + EAST);
        String fromCentral = produce(CENTRAL, "crossed over TLS from " + CENTRAL);

        try (KafkaConsumer<String, String> west = consumer(WEST, EAST, CENTRAL)) {
            awaitCopied(west, WEST, List.of(fromEast, fromCentral));
        }

        for (String region : REGIONS) {
            try (Admin admin = kafka.cluster(region).admin()) {
                // One worker per region, in the Connect group deploy/ grants (Strimzi's): not a herder per peer.
                // Awaited: a worker that rejoins after the cut test shows as no member while its group rebalances.
                await(region + "'s Connect group").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        admin.describeClassicGroups(List.of(MultiRegionKafka.CONNECT_GROUP)).all()
                                .get(30, TimeUnit.SECONDS).get(MultiRegionKafka.CONNECT_GROUP).members())
                        .as("members of %s's Connect group", region).hasSize(1));
                // The peers' heartbeat connectors write their clusters' heartbeats, and the source connectors copy
                // them here under deploy/'s grants on both ends, as production's do.
                List<String> peersHeartbeats = REGIONS.stream().filter(peer -> !peer.equals(region))
                        .map(peer -> MirrorMakerRunner.remoteTopic(peer, "heartbeats")).toList();
                await(region + " holds its peers' heartbeats").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(peersHeartbeats));
            }
        }
        assertThat(kafka.mirrors()).as("MirrorMakers").hasSize(REGIONS.size());
        assertThat(kafka.connectWorker(WEST).connectorConfigs()).containsOnlyKeys(
                "us-east->eu-west.MirrorSourceConnector", "us-east->eu-west.MirrorHeartbeatConnector",
                "eu-central->eu-west.MirrorSourceConnector", "eu-central->eu-west.MirrorHeartbeatConnector");
    }

    /**
     * A cut of eu-central stops the copies out of it and into it (its own worker reaches its cluster through the same
     * link); both resume once the link is back, the TLS sessions and SCRAM logins made again.
     */
    @Test
    void aRegionCutOffIsCopiedFromAndIntoAgainOnceItsLinkIsBack() throws Exception {
        KafkaCluster central = kafka.cluster(CENTRAL);
        long refused = central.wanProxy().refusedConnections();
        String out;
        String in;
        kafka.cut(CENTRAL);
        try {
            // MirrorMaker's clients come back to the cut link and are turned away: the cut is in force.
            await("MirrorMaker's clients refused at " + CENTRAL + "'s link").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> central.wanProxy().refusedConnections() > refused);
            out = produce(CENTRAL, "written in " + CENTRAL + " during the cut");
            in = produce(EAST, "written in " + EAST + " for " + CENTRAL + " during the cut");
        } finally {
            kafka.restore(CENTRAL);
        }

        try (KafkaConsumer<String, String> west = consumer(WEST, CENTRAL);
                KafkaConsumer<String, String> centralReader = consumer(CENTRAL, EAST)) {
            awaitCopied(west, WEST, List.of(out));
            awaitCopied(centralReader, CENTRAL, List.of(in));
        }
    }

    /** Produces a unique latency record in {@code region} through the kit's plaintext door; returns its value. */
    private static String produce(String region, String text) throws Exception {
        String value = text + " " + System.nanoTime();
        // The kit's plaintext door: the producer plays a service, not what is under test.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.cluster(region).bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(TopicCatalog.LATENCY, region + "/" + region, value))
                    .get(30, TimeUnit.SECONDS);
        }
        return value;
    }

    /** A reader in {@code region} of the copies of {@code sources}' latency topics, through the plaintext door. */
    private static KafkaConsumer<String, String> consumer(String region, String... sources) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.cluster(region).bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "multi-region-tls-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // The copy's topic may appear only after the subscription; find it within a poll or two.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        consumer.subscribe(Arrays.stream(sources).map(source -> MirrorMakerRunner.remoteTopic(source,
                TopicCatalog.LATENCY)).toList());
        return consumer;
    }

    private static void awaitCopied(KafkaConsumer<String, String> reader, String region, List<String> values) {
        List<String> seen = new ArrayList<>();
        await(values + " copied to " + region).atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                seen.add(record.value());
            }
            return seen.containsAll(values);
        });
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
