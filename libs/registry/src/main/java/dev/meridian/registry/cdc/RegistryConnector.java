package dev.meridian.registry.cdc;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.registry.schema.RegistrySchema;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The Debezium PostgreSQL connector configuration that captures the registry into
 * {@code meridian.fleet.config.<table>}. One plain map, so the in-process worker (tests, sandbox) and the
 * Strimzi {@code KafkaConnector} under deploy/ are rendered from the same place.
 *
 * <pre>{@code
 * Map<String, String> config = RegistryConnector.builder()
 *         .database("registry.db.internal", 5432, "meridian")
 *         .credentials("debezium", "${secrets:meridian/registry-cdc:password}")
 *         .build();
 * }</pre>
 */
public final class RegistryConnector {

    /** Connector name in Kafka Connect. */
    public static final String NAME = "meridian-fleet-registry";
    /** Debezium prepends it to {@code <schema>.<table>}: with schema {@code config} the topics are the catalog's. */
    public static final String TOPIC_PREFIX = "meridian.fleet";
    public static final String SLOT_NAME = "meridian_fleet_config";
    public static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

    /**
     * Touches a table that is in the publication but not captured, so WAL of our own flows through the slot
     * while the registry is idle and the slot's confirmed position can advance.
     */
    public static final String HEARTBEAT_QUERY = "INSERT INTO " + RegistrySchema.HEARTBEAT_TABLE
            + " (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at";

    private RegistryConnector() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code config\.regions,config\.region_allow_list,...}: the include list takes regular expressions. */
    static String tableIncludeList() {
        return RegistrySchema.CAPTURED_TABLES.stream()
                .map(table -> RegistrySchema.SCHEMA + "\\." + table)
                .collect(Collectors.joining(","));
    }

    public static final class Builder {
        private String hostname;
        private int port = 5432;
        private String database;
        private String user;
        private String password;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private String slotName = SLOT_NAME;
        private boolean dropSlotOnStop;
        private int replicationFactor = -1;
        private String eventSource = CloudEventsTransform.DEFAULT_SOURCE;
        private String rootCertificate;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder database(String hostname, int port, String database) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            this.port = port;
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        /** The password may be a Connect config-provider placeholder such as {@code ${secrets:ns/name:key}}. */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** How long the connector waits for WAL before it polls again: latency versus idle CPU. 10 ms in tests. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval, "pollInterval");
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeatInterval");
            return this;
        }

        /** One slot per connector and database server; tests that share a server need distinct ones. */
        public Builder slotName(String slotName) {
            this.slotName = Objects.requireNonNull(slotName, "slotName");
            return this;
        }

        /**
         * Tests only: a dropped slot forgets the position, so changes made while the connector is stopped are
         * lost. Production keeps the slot so a restarted connector resumes exactly where it stopped.
         */
        public Builder dropSlotOnStop(boolean drop) {
            this.dropSlotOnStop = drop;
            return this;
        }

        /** Replication factor of topics the connector creates; -1 (default) takes the broker's default. */
        public Builder replicationFactor(int replicationFactor) {
            if (replicationFactor == 0 || replicationFactor < -1) {
                throw new IllegalArgumentException("replicationFactor must be -1 or positive, was " + replicationFactor);
            }
            this.replicationFactor = replicationFactor;
            return this;
        }

        /** {@code ce_source} of the events, e.g. {@code /meridian/registry/us-east}. */
        public Builder eventSource(String source) {
            this.eventSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Connects over TLS and verifies the server: its certificate must chain to the CA in {@code rootCertificate}
         * (a PEM file the Connect worker can read) and name the host ({@code sslmode=verify-full}). Without it the
         * connector takes Debezium's default, {@code prefer}: encrypted if the server offers it, never verified.
         */
        public Builder verifiedTls(String rootCertificate) {
            this.rootCertificate = Objects.requireNonNull(rootCertificate, "rootCertificate");
            return this;
        }

        /** Any connector property, applied last. Prefer a named method where one exists. */
        public Builder property(String key, String value) {
            overrides.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Map<String, String> build() {
            if (hostname == null) {
                throw new IllegalStateException("database(hostname, port, database) is required");
            }
            if (user == null) {
                throw new IllegalStateException("credentials(user, password) are required");
            }
            Map<String, String> c = new LinkedHashMap<>();
            c.put("connector.class", CONNECTOR_CLASS);
            c.put("tasks.max", "1");
            c.put("database.hostname", hostname);
            c.put("database.port", Integer.toString(port));
            c.put("database.dbname", database);
            c.put("database.user", user);
            c.put("database.password", password);
            if (rootCertificate != null) {
                c.put("database.sslmode", "verify-full");
                c.put("database.sslrootcert", rootCertificate);
            }
            c.put("plugin.name", "pgoutput");
            c.put("slot.name", slotName);
            c.put("slot.drop.on.stop", Boolean.toString(dropSlotOnStop));
            c.put("publication.name", RegistrySchema.PUBLICATION);
            // The migrations own the publication; the connector's user then needs no table ownership.
            c.put("publication.autocreate.mode", "disabled");
            c.put("topic.prefix", TOPIC_PREFIX);
            c.put("table.include.list", tableIncludeList());
            // A new consumer of the registry must see every row, not just the changes after the slot was made.
            c.put("snapshot.mode", "initial");
            // Money stays an exact decimal string ("98.3200"), never base64 bytes or a binary float.
            c.put("decimal.handling.mode", "string");
            // Debezium skips truncates unless told otherwise; an unseen truncate would leave ghosts in every view.
            c.put("skipped.operations", "none");
            // A delete's tombstone lets compaction drop the row once every reader has seen the delete.
            c.put("tombstones.on.delete", "true");
            c.put("poll.interval.ms", Long.toString(pollInterval.toMillis()));
            c.put("heartbeat.interval.ms", Long.toString(heartbeatInterval.toMillis()));
            c.put("heartbeat.action.query", HEARTBEAT_QUERY);

            // Plain JSON whatever the worker's defaults: FleetConfig and the audit read the envelope directly.
            c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            c.put("key.converter.schemas.enable", "false");
            c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            c.put("value.converter.schemas.enable", "false");

            // Topics the connector creates get the catalog's settings (compacted, 7-day compaction lag), should
            // they not exist yet; deploy/ normally creates them first from the same catalog.
            c.put("topic.creation.default.replication.factor", Integer.toString(replicationFactor));
            var spec = TopicCatalog.byName(TopicCatalog.fleetConfigTopic(RegistrySchema.CAPTURED_TABLES.get(0)));
            c.put("topic.creation.default.partitions", Integer.toString(spec.partitions()));
            spec.kafkaConfigs().forEach((key, value) -> c.put("topic.creation.default." + key, value));

            c.put("transforms", "cloudevents");
            c.put("transforms.cloudevents.type", CloudEventsTransform.class.getName());
            c.put("transforms.cloudevents." + CloudEventsTransform.SOURCE_CONFIG, eventSource);

            c.putAll(overrides);
            return c;
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
            return duration;
        }
    }
}
