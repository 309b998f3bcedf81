package dev.meridian.registry.cdc;

import dev.meridian.contracts.cloudevents.CloudEventHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Adds CloudEvents 1.0 binary-mode headers to Debezium change events, and gives truncate events a key.
 *
 * <ul>
 *   <li>{@code ce_id} is derived from the change's position in the WAL (table, LSN, transaction, operation,
 *       key), so a change the connector sends again after a restart carries the same id and consumers can
 *       drop the duplicate.</li>
 *   <li>{@code ce_time} is the commit time in the database ({@code source.ts_ms}), not the time Connect
 *       happened to read it.</li>
 *   <li>{@code ce_subject} is the region the row concerns, read from a per-table column; rows that concern
 *       no region (the global budget, the change log) get {@value #DEFAULT_SUBJECT}.</li>
 *   <li>Debezium sends truncates with a null key, which a compacted topic refuses (the whole task would fail).
 *       They get the key {@code {"truncated_table": "config.<table>"}}: the latest truncate of a table then
 *       survives compaction, which is all a consumer replaying the topic needs.</li>
 * </ul>
 *
 * Tombstones and records that are not change events (Debezium heartbeats) pass through untouched.
 */
public final class CloudEventsTransform<R extends ConnectRecord<R>> implements Transformation<R> {

    public static final String SOURCE_CONFIG = "ce.source";
    public static final String TYPE_PREFIX_CONFIG = "ce.type.prefix";
    public static final String SUBJECT_FIELDS_CONFIG = "ce.subject.fields";

    public static final String DEFAULT_SOURCE = "/meridian/registry";
    public static final String DEFAULT_TYPE_PREFIX = "dev.meridian.fleet.config.";
    /** The schema version of the event, as in every other {@code ce_type}. */
    public static final String TYPE_SUFFIX = ".v1";
    public static final String DEFAULT_SUBJECT_FIELDS = "regions:name,region_allow_list:client_region,*:region";
    public static final String DEFAULT_SUBJECT = "global";

    public static final String TRUNCATE_KEY_FIELD = "truncated_table";
    static final Schema TRUNCATE_KEY_SCHEMA = SchemaBuilder.struct()
            .name("dev.meridian.registry.TruncateKey")
            .field(TRUNCATE_KEY_FIELD, Schema.STRING_SCHEMA)
            .build();

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SOURCE_CONFIG, ConfigDef.Type.STRING, DEFAULT_SOURCE, ConfigDef.Importance.MEDIUM,
                    "ce_source of every event: the registry that produced it")
            .define(TYPE_PREFIX_CONFIG, ConfigDef.Type.STRING, DEFAULT_TYPE_PREFIX, ConfigDef.Importance.LOW,
                    "ce_type is this prefix, the table name and " + TYPE_SUFFIX)
            .define(SUBJECT_FIELDS_CONFIG, ConfigDef.Type.STRING, DEFAULT_SUBJECT_FIELDS, ConfigDef.Importance.LOW,
                    "table:column pairs naming the column that holds the row's region; * matches any table");

    private String source;
    private String typePrefix;
    private Map<String, String> subjectFields;

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        source = config.getString(SOURCE_CONFIG);
        typePrefix = config.getString(TYPE_PREFIX_CONFIG);
        subjectFields = parseSubjectFields(config.getString(SUBJECT_FIELDS_CONFIG));
    }

    static Map<String, String> parseSubjectFields(String spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new ConfigException(SUBJECT_FIELDS_CONFIG, spec, "expected table:column pairs, got '" + trimmed + "'");
            }
            fields.put(trimmed.substring(0, colon), trimmed.substring(colon + 1));
        }
        return fields;
    }

    @Override
    public R apply(R record) {
        if (!(record.value() instanceof Struct envelope) || !isChangeEvent(envelope)) {
            return record;
        }
        Struct sourceInfo = envelope.getStruct("source");
        String op = envelope.getString("op");
        String table = sourceInfo.getString("table");
        String qualifiedTable = sourceInfo.getString("schema") + "." + table;

        Schema keySchema = record.keySchema();
        Object key = record.key();
        if (key == null && "t".equals(op)) {
            keySchema = TRUNCATE_KEY_SCHEMA;
            key = new Struct(TRUNCATE_KEY_SCHEMA).put(TRUNCATE_KEY_FIELD, qualifiedTable);
        }

        Headers headers = record.headers().duplicate();
        set(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        set(headers, CloudEventHeaders.ID, eventId(qualifiedTable, sourceInfo, op, key));
        set(headers, CloudEventHeaders.SOURCE, source);
        set(headers, CloudEventHeaders.TYPE, typePrefix + table + TYPE_SUFFIX);
        set(headers, CloudEventHeaders.TIME, commitTime(sourceInfo, record).toString());
        set(headers, CloudEventHeaders.SUBJECT, subject(table, envelope));
        set(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.APPLICATION_JSON);
        return record.newRecord(record.topic(), record.kafkaPartition(), keySchema, key, record.valueSchema(),
                record.value(), record.timestamp(), headers);
    }

    private static boolean isChangeEvent(Struct envelope) {
        Schema schema = envelope.schema();
        return schema.field("op") != null && schema.field("source") != null && envelope.getString("op") != null
                && envelope.getStruct("source") != null;
    }

    private static String eventId(String qualifiedTable, Struct sourceInfo, String op, Object key) {
        String position = qualifiedTable + "|" + optional(sourceInfo, "lsn") + "|" + optional(sourceInfo, "txId")
                + "|" + op + "|" + key;
        return UUID.nameUUIDFromBytes(position.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Object optional(Struct struct, String field) {
        return struct.schema().field(field) == null ? null : struct.get(field);
    }

    private static Instant commitTime(Struct sourceInfo, ConnectRecord<?> record) {
        Object millis = optional(sourceInfo, "ts_ms");
        if (millis instanceof Long ms) {
            return Instant.ofEpochMilli(ms);
        }
        return record.timestamp() == null ? Instant.now() : Instant.ofEpochMilli(record.timestamp());
    }

    private String subject(String table, Struct envelope) {
        String column = subjectFields.getOrDefault(table, subjectFields.get("*"));
        if (column == null) {
            return DEFAULT_SUBJECT;
        }
        for (String image : new String[] {"after", "before"}) {
            Struct row = envelope.schema().field(image) == null ? null : envelope.getStruct(image);
            if (row != null) {
                Field field = row.schema().field(column);
                Object value = field == null ? null : row.get(field);
                return value == null ? DEFAULT_SUBJECT : value.toString();
            }
        }
        return DEFAULT_SUBJECT;
    }

    private static void set(Headers headers, String name, String value) {
        headers.remove(name);
        headers.addString(name, value);
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        // Holds no resources.
    }
}
