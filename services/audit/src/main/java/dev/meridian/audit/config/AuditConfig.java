package dev.meridian.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the audit service can be told; documented in the README and application.properties. */
@ConfigMapping(prefix = "meridian.audit")
public interface AuditConfig {

    /** The region this instance records for: chains of operations that name no region (global budgets, reads). */
    String homeRegion();

    /** {@code ce_source} of what the audit publishes about itself, and the source of its digests. */
    @WithDefault("/meridian/audit")
    String source();

    Chain chain();

    Writer writer();

    Retention retention();

    Api api();

    Encryption encryption();

    /** Payloads at rest: sealed with data keys wrapped by a key-encryption key (KEK) outside the database. */
    interface Encryption {
        /**
         * The KEK provider's directory: one {@code <kekId>.key} file per key (base64 of 32 bytes) and {@code current}
         * naming the one new data keys are wrapped with (a mounted Secret in production).
         */
        String kekDirectory();

        /** Makes a first KEK in an empty or missing directory (tests, dev, the sandbox); never in production. */
        @WithDefault("false")
        boolean generateMissing();
    }

    interface Chain {
        /** The operation topics the chainer reads, {@code meridian.fleet.config.*} included. */
        List<String> topics();

        /** How often a region's chain that grew gets a signed digest. */
        @WithDefault("1h")
        Duration digestInterval();

        /** How long an operation id is remembered, so an event delivered twice is chained once. */
        @WithDefault("1h")
        Duration dedupeWindow();

        /** How long a registry delete or truncate waits for the change_log entry that names its actor. */
        @WithDefault("30s")
        Duration attributionTimeout();

        /** The digest signing key: Ed25519, PKCS#8, base64. A secret: never in a file. */
        String signingKey();

        /** Its public key: X.509 SubjectPublicKeyInfo, base64; published at {@code GET /v1/audit/keys}. */
        String publicKey();

        /** Names the key in every signature, so keys can be rotated and old digests still verified by id. */
        @WithDefault("k1")
        String keyId();

        /** When the current key became valid (ISO-8601): a digest of an earlier time must not carry it. */
        @WithDefault("1970-01-01T00:00:00Z")
        String keyValidFrom();

        /**
         * Keys this one replaced, still published so their digests verify: a JSON array of
         * {@code {"keyId","publicKey","validFrom","validTo"}}.
         */
        @WithDefault("[]")
        String retiredKeys();

        /** The HMAC key (base64) of digests signed before Ed25519, to verify them in place; never signs. */
        Optional<String> legacyHmacKey();

        /** Its key id, as it prefixes those signatures. */
        @WithDefault("k1")
        String legacyHmacKeyId();
    }

    interface Writer {
        /** Runs the store writer in this instance. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("meridian-audit-writer")
        String groupId();

        /** Largest batch, i.e. largest PostgreSQL transaction. */
        @WithDefault("5000")
        int maxPollRecords();

        @WithDefault("1s")
        Duration retryBackoff();

        /** The longest pause between retries of a batch that keeps failing (the pause doubles up to it). */
        @WithDefault("30s")
        Duration maxRetryBackoff();

        /**
         * How far ahead of the writer's clock an entry's time may be; a later one is quarantined (the chainer stamps
         * its own clock, so only another writer of the log gets there).
         */
        @WithDefault("1h")
        Duration maxAhead();

        /**
         * PostgreSQL connections one batch is written over, 1 or 2: with 2, half of each batch is copied on a second
         * connection in parallel (about one more core of PostgreSQL while the writer catches up).
         */
        @WithDefault("2")
        int connections();

        /** Partitions are created for this month and this many ahead (daily, and at start). */
        @WithDefault("2")
        int monthsAhead();

        /** How often partitions ahead are checked (read by the scheduler). */
        @WithDefault("6h")
        String partitionCheck();
    }

    interface Retention {
        /** Entries older than this go (whole months at a time). Three years of 365 days by default. */
        @WithDefault("1095d")
        Duration period();

        /** When the retention job runs: a Quartz cron (seconds first), or {@code off} (read by the scheduler). */
        @WithDefault("0 30 3 * * ?")
        String cron();
    }

    interface Api {
        @WithDefault("100")
        int defaultLimit();

        @WithDefault("1000")
        int maxLimit();

        /** How long a read waits for the broker to acknowledge the record of that read. */
        @WithDefault("10s")
        Duration publishTimeout();

        /** The most entries one export may hold; a larger one is refused (400) before it starts. */
        @WithDefault("5000000")
        long exportMaxRows();

        /** How long one export may stream; then it stops and its trailer says it is incomplete. */
        @WithDefault("10m")
        Duration exportMaxTime();

        /** Exports running at once; one more is refused (429) until one ends. */
        @WithDefault("2")
        int exportMaxConcurrent();
    }
}
