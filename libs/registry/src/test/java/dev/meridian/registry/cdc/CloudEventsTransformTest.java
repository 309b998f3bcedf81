package dev.meridian.registry.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.cloudevents.CloudEventHeaders;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transform against records shaped like the Debezium PostgreSQL connector's. */
class CloudEventsTransformTest {

    private static final Schema ROW = SchemaBuilder.struct().optional()
            .field("region", Schema.OPTIONAL_STRING_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema KEY = SchemaBuilder.struct().field("region", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct()
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct()
            .field("before", ROW)
            .field("after", ROW)
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .build();

    private final CloudEventsTransform<SourceRecord> transform = new CloudEventsTransform<>();

    @AfterEach
    void close() {
        transform.close();
    }

    private static SourceRecord change(String table, String op, Struct before, Struct after, Object key, long lsn) {
        Struct source = new Struct(SOURCE).put("schema", "config").put("table", table).put("txId", 771L)
                .put("lsn", lsn).put("ts_ms", 1767225600123L);
        Struct value = new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source)
                .put("op", op);
        return new SourceRecord(Map.of(), Map.of(), "meridian.fleet.config." + table, null,
                key == null ? null : KEY, key, ENVELOPE, value, 1767225600200L);
    }

    private static Struct row(String region, String name) {
        return new Struct(ROW).put("region", region).put("name", name);
    }

    private static String header(SourceRecord record, String name) {
        return (String) record.headers().lastWithName(name).value();
    }

    @Test
    void addsCloudEventsHeadersFromTheChange() {
        transform.configure(Map.of(CloudEventsTransform.SOURCE_CONFIG, "/meridian/registry/us-east"));
        Struct key = new Struct(KEY).put("region", "eu-west").put("name", "gpu-core");

        SourceRecord in = change("node_pools", "u", row("eu-west", "gpu-core"), row("eu-west", "gpu-core"), key, 1000);

        SourceRecord out = transform.apply(in);

        assertThat(header(out, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(header(out, CloudEventHeaders.SOURCE)).isEqualTo("/meridian/registry/us-east");
        assertThat(header(out, CloudEventHeaders.TYPE)).isEqualTo("dev.meridian.fleet.config.node_pools.v1");
        assertThat(header(out, CloudEventHeaders.TIME)).isEqualTo("2026-01-01T00:00:00.123Z");
        assertThat(header(out, CloudEventHeaders.SUBJECT)).isEqualTo("eu-west");
        assertThat(header(out, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(header(out, CloudEventHeaders.ID)).hasSize(36);
        assertThat(out.key()).isSameAs(key);
        assertThat(out.value()).isSameAs(in.value());
        assertThat(in.headers().isEmpty()).as("the input record is not modified").isTrue();
    }

    @Test
    void sameChangeGetsTheSameIdAndAnotherChangeAnother() {
        transform.configure(Map.of());
        Struct key = new Struct(KEY).put("region", "eu-west").put("name", "gpu-core");
        Struct after = row("eu-west", "gpu-core");

        String first = header(transform.apply(change("node_pools", "c", null, after, key, 1000)), CloudEventHeaders.ID);
        String again = header(transform.apply(change("node_pools", "c", null, after, key, 1000)), CloudEventHeaders.ID);
        String later = header(transform.apply(change("node_pools", "u", after, after, key, 2000)), CloudEventHeaders.ID);

        assertThat(again).isEqualTo(first);
        assertThat(later).isNotEqualTo(first);
    }

    @Test
    void subjectComesFromThePerTableColumnAndFallsBackToGlobal() {
        transform.configure(Map.of());

        SourceRecord region = transform.apply(change("regions", "c", null, row(null, "ap-southeast"), null, 1));
        SourceRecord deleted = transform.apply(change("prices", "d", row("us-west", null), null, null, 2));
        SourceRecord global = transform.apply(change("budgets", "c", null, row(null, "global"), null, 3));

        assertThat(header(region, CloudEventHeaders.SUBJECT)).isEqualTo("ap-southeast");
        assertThat(header(deleted, CloudEventHeaders.SUBJECT)).isEqualTo("us-west");
        assertThat(header(global, CloudEventHeaders.SUBJECT)).isEqualTo(CloudEventsTransform.DEFAULT_SUBJECT);
    }

    @Test
    void truncateGetsAKeySoACompactedTopicAcceptsIt() {
        transform.configure(Map.of());

        SourceRecord out = transform.apply(change("prices", "t", null, null, null, 5));

        assertThat(out.keySchema()).isEqualTo(CloudEventsTransform.TRUNCATE_KEY_SCHEMA);
        assertThat(((Struct) out.key()).getString(CloudEventsTransform.TRUNCATE_KEY_FIELD)).isEqualTo("config.prices");
        assertThat(header(out, CloudEventHeaders.SUBJECT)).isEqualTo(CloudEventsTransform.DEFAULT_SUBJECT);
    }

    @Test
    void tombstonesAndHeartbeatsPassUntouched() {
        transform.configure(Map.of());
        Struct key = new Struct(KEY).put("region", "eu-west").put("name", "gpu-core");
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "meridian.fleet.config.node_pools", null, KEY,
                key, null, null, 1L);
        Schema beat = SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();
        SourceRecord heartbeat = new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.meridian.fleet", null,
                null, null, beat, new Struct(beat).put("ts_ms", 1L), 1L);

        assertThat(transform.apply(tombstone)).isSameAs(tombstone);
        assertThat(transform.apply(heartbeat)).isSameAs(heartbeat);
        assertThat(tombstone.headers().isEmpty()).isTrue();
    }

    @Test
    void refusesAMalformedSubjectMapping() {
        assertThatThrownBy(() -> transform.configure(Map.of(CloudEventsTransform.SUBJECT_FIELDS_CONFIG, "regions")))
                .isInstanceOf(ConfigException.class);
    }
}
