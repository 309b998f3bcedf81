package dev.meridian.audit.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.audit.Pipeline;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.Operation;
import dev.meridian.audit.store.AuditSchema;
import dev.meridian.audit.store.ChainVerifier;
import dev.meridian.audit.store.BulkInsert;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.testkit.junit.PostgresExtension;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Partition drop after three years, with a clock the test sets, and verification across the dropped month. */
class RetentionIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.create();

    private static final Duration THREE_YEARS = Duration.ofDays(1095);
    private static final String REGION = "eu-west";

    private DataSource dataSource;
    private final List<AuditRecord> chain = new ArrayList<>();

    @BeforeEach
    void store() throws SQLException {
        dataSource = POSTGRES.dataSource();
        AuditSchema.migrate(dataSource);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE audit.events, audit.anchors");
        }
        // Jan 2023 … Mar 2023: an entry every 4 days, a digest after every third entry. January ends with two entries
        // after its last digest (Jan 25 and 29), which the digest of Feb 2 closes.
        ChainHead head = Chains.genesis();
        Instant t = Instant.parse("2023-01-01T00:00:00Z");
        for (int i = 0; i < 16; i++) {
            AuditRecord entry = Chains.record(head, new Operation("op-" + i, t, REGION, "alice", "scale.scale_out",
                    "pool:eu-west/gpu", "/test", "t.v1", JsonNodeFactory.instance.objectNode().put("i", i)));
            chain.add(entry);
            head = Chains.advance(head, entry);
            if (i % 3 == 2) {
                AuditRecord digest = Chains.digest(head, REGION, t.plus(Duration.ofHours(1)), Pipeline.SIGNER, "/test");
                chain.add(digest);
                head = Chains.advance(head, digest);
            }
            t = t.plus(Duration.ofDays(4));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            BulkInsert.insertAll(c, chain);
            c.commit();
        }
    }

    private Retention retentionAt(String now) {
        return new Retention(dataSource, Clock.fixed(Instant.parse(now), ZoneOffset.UTC), THREE_YEARS);
    }

    @Test
    void nothingIsDroppedBeforeThreeYearsHavePassed() throws SQLException {
        Retention.Run run = retentionAt("2026-01-30T00:00:00Z").run();

        assertThat(run.dropped()).isEmpty();
        assertThat(retentionAt("2026-01-30T00:00:00Z").partitions()).contains(YearMonth.of(2023, 1),
                YearMonth.of(2023, 2), YearMonth.of(2023, 3));
    }

    @Test
    void aMonthWhollyOlderThanThreeYearsIsDroppedKeepingItsLastDigestAndTheTailAfterIt() throws SQLException {
        // 1095 days after 2023-02-01 is 2026-01-31: January 2023 is due from then on, February not yet.
        Retention.Run run = retentionAt("2026-02-01T00:00:00Z").run();

        assertThat(run.dropped()).containsExactly("events_p202301");
        List<AuditRecord> january = chain.stream()
                .filter(e -> e.time().isBefore(Instant.parse("2023-02-01T00:00:00Z"))).toList();
        AuditRecord lastDigest = january.stream().filter(e -> e.kind() == AuditEntryKind.DIGEST)
                .reduce((a, b) -> b).orElseThrow();
        long expectedKept = january.stream().filter(e -> e.sequence() >= lastDigest.sequence()).count();
        assertThat(expectedKept).isEqualTo(3); // the digest and the two entries after it
        assertThat(run.anchored()).isEqualTo(expectedKept);
        assertThat(count("SELECT count(*) FROM audit.anchors WHERE kind = 'DIGEST' AND id = '" + lastDigest.id() + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit.events")).isEqualTo(chain.size() - january.size());
        assertThat(retentionAt("2026-02-01T00:00:00Z").partitions()).doesNotContain(YearMonth.of(2023, 1));
    }

    @Test
    void verificationStillWorksFromTheKeptDigestAndStillFindsTampering() throws SQLException {
        retentionAt("2026-02-01T00:00:00Z").run();
        ChainVerifier verifier = new ChainVerifier(dataSource, Pipeline.SIGNER, Pipeline.vault(dataSource));

        ChainVerifier.Result intact = verifier.verify(REGION, null, null);

        assertThat(intact.ok()).as(String.valueOf(intact.broken())).isTrue();
        assertThat(intact.anchor()).startsWith("digest-" + REGION);
        assertThat(intact.checked()).isPositive();

        AuditRecord victim = chain.get(chain.size() - 2);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE audit.events SET payload = '{\"i\": 999}' WHERE id = '" + victim.id() + "'");
        }
        ChainVerifier.Result tampered = verifier.verify(REGION, null, null);
        assertThat(tampered.ok()).isFalse();
        assertThat(tampered.broken().orElseThrow().id()).isEqualTo(victim.id());
    }

    @Test
    void aDeletedRowIsNamedAsAGap() throws SQLException {
        AuditRecord victim = chain.get(5);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM audit.events WHERE id = '" + victim.id() + "'");
        }

        ChainVerifier.Result result = new ChainVerifier(dataSource, Pipeline.SIGNER, Pipeline.vault(dataSource)).verify(REGION, null, null);

        assertThat(result.ok()).isFalse();
        assertThat(result.broken().orElseThrow().sequence()).isEqualTo(victim.sequence() + 1);
        assertThat(result.broken().orElseThrow().reason()).contains("sequence " + victim.sequence() + " missing");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
