package dev.meridian.contracts.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.validation.Violation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InterruptionTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration MAX_AGE = Duration.ofMinutes(15);
    private static final Duration SKEW = Duration.ofSeconds(5);

    private static Interruption noticeAt(Instant noticeAt) {
        return new Interruption("n-1", "eu-west", "batch", noticeAt, noticeAt.plusSeconds(120), "aws-spot-itn");
    }

    @Test
    void acceptsANoticeFromTheLastMinutes() {
        assertThat(noticeAt(NOW.minusSeconds(30)).violationsAt(NOW, MAX_AGE, SKEW)).isEmpty();
        assertThat(noticeAt(NOW.plusSeconds(5)).violationsAt(NOW, MAX_AGE, SKEW)).isEmpty();
    }

    @Test
    void rejectsANoticeDated1970AsTooOld() {
        assertThat(noticeAt(Instant.EPOCH).violationsAt(NOW, MAX_AGE, SKEW)).extracting(Violation::field,
                Violation::rule).containsExactly(org.assertj.core.groups.Tuple.tuple("noticeAt", "too old"));
    }

    @Test
    void rejectsANoticeFromTheFutureAsClockSkew() {
        assertThat(noticeAt(NOW.plusSeconds(3600)).violationsAt(NOW, MAX_AGE, SKEW)).extracting(Violation::rule)
                .containsExactly("clock skew");
    }

    @Test
    void keepsTheContractRulesBesideTheClockRules() {
        Interruption nul = new Interruption("n-1", "eu-west", "batch", NOW, NOW.plusSeconds(120), "itn\u0000x");

        assertThat(nul.violationsAt(NOW, MAX_AGE, SKEW)).extracting(Violation::rule).containsExactly("control character");
    }
}
