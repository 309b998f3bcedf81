package dev.meridian.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.metrics.NodeMetric;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SampleValidatorTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final SampleValidator validator = new SampleValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(5));

    @Test
    void acceptsSampleStampedUpToTheGraceAhead() {
        Verdict<NodeMetric> verdict = validator.validate(Samples.bytes(Samples.valid("n1", NOW.plusSeconds(5))));

        assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
        assertThat(((Verdict.Accepted<NodeMetric>) verdict).value().nodeId()).isEqualTo("n1");
    }

    @Test
    void rejectsClockSkewBeyondTheGrace() {
        Verdict<NodeMetric> verdict = validator.validate(Samples.bytes(Samples.valid("n1", NOW.plusSeconds(6))));

        assertThat(verdict).isEqualTo(new Verdict.Rejected<>("timestamp", "clock skew",
                "timestamp is 6 s in the future (max 5 s): clock skew"));
    }

    @Test
    void rejectsMalformedJsonAtTheRoot() {
        Verdict<NodeMetric> verdict = validator.validate("{\"nodeId\":".getBytes(StandardCharsets.UTF_8));

        assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
        assertThat(((Verdict.Rejected<NodeMetric>) verdict).field()).isEqualTo("$");
        assertThat(((Verdict.Rejected<NodeMetric>) verdict).rule()).isEqualTo("json");
    }

    @Test
    void rejectsAnInterruptionNoticeDatedLongBeforeTheClock() {
        String notice = "{\"nodeId\":\"n1\",\"region\":\"us-east\",\"pool\":\"batch\",\"noticeAt\":\"1970-01-01T00:00:00Z\","
                + "\"deadline\":\"1970-01-01T00:02:00Z\",\"source\":\"aws-spot-itn\"}";

        assertThat(validator.validateInterruption(notice.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Verdict.Rejected<>("noticeAt", "too old",
                        "noticeAt is 1772366400 s old (max 900 s): too old"));
    }

    @Test
    void acceptsAnInterruptionNoticeFromTheLastMinutes() {
        String notice = "{\"nodeId\":\"n1\",\"region\":\"us-east\",\"pool\":\"batch\",\"noticeAt\":\""
                + NOW.minusSeconds(60) + "\",\"deadline\":\"" + NOW.plusSeconds(60) + "\",\"source\":\"aws-spot-itn\"}";

        assertThat(validator.validateInterruption(notice.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Verdict.Accepted.class);
    }
}
