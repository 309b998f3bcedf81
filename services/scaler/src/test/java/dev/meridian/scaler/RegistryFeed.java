package dev.meridian.scaler;

import dev.meridian.contracts.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Registry rows as Debezium writes them (JSON converter without schemas), for the service's ITs. */
public final class RegistryFeed {

    private RegistryFeed() {
    }

    public static void region(KafkaProducer<String, byte[]> producer, String region, String zone) {
        row(producer, "regions", "{\"name\":\"" + region + "\"}", "{\"name\":\"" + region + "\",\"zone\":\"" + zone
                + "\",\"display_name\":\"" + region + "\",\"changed_by\":\"test\",\"changed_at\":\"2026-11-27T12:00:00Z\"}");
    }

    /** A CORE_GPU on-demand pool of {@code min..max} nodes tagged team=search. */
    public static void pool(KafkaProducer<String, byte[]> producer, String region, String pool, int min, int max) {
        row(producer, "node_pools", "{\"region\":\"" + region + "\",\"name\":\"" + pool + "\"}",
                "{\"region\":\"" + region + "\",\"name\":\"" + pool + "\",\"tier\":\"CORE_GPU\",\"min_size\":" + min
                        + ",\"max_size\":" + max + ",\"warm_size\":0,\"instance_types\":[\"g5.xlarge\",\"g5.12xlarge\"],"
                        + "\"capacity_type\":\"ON_DEMAND\",\"spot_fallback\":false,\"criticality\":\"CRITICAL\","
                        + "\"tags\":\"{\\\"team\\\":\\\"search\\\"}\",\"changed_by\":\"test\","
                        + "\"changed_at\":\"2026-11-27T12:00:00Z\"}");
    }

    public static void row(KafkaProducer<String, byte[]> producer, String table, String key, String row) {
        String value = "{\"before\":null,\"after\":" + row + ",\"source\":{\"schema\":\"config\",\"table\":\"" + table
                + "\",\"txId\":1,\"ts_ms\":0},\"op\":\"c\",\"ts_ms\":0}";
        producer.send(new ProducerRecord<>(TopicCatalog.fleetConfigTopic(table), key,
                value.getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }
}
