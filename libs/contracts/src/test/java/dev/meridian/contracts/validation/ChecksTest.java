package dev.meridian.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {

    private static final Instant NOW = Instant.parse("2026-11-27T13:00:00Z");

    @Test
    void formatsIntegralValuesWithoutExponent() {
        assertThat(Checks.format(4294967295.0)).isEqualTo("4294967295");
        assertThat(Checks.format(1e21)).isEqualTo("1000000000000000000000");
        assertThat(Checks.format(-1.0)).isEqualTo("-1.0");
        assertThat(Checks.format(0.00001)).isEqualTo("0.00001");
        assertThat(Checks.format(Double.NaN)).isEqualTo("NaN");
        assertThat(Checks.format(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void flagsTimestampBeyondTheAllowedSkewAsClockSkew() {
        Violation violation = Checks.clockSkew("timestamp", NOW.plusMillis(12_300), NOW, Duration.ofSeconds(5))
                .orElseThrow();

        assertThat(violation).isEqualTo(new Violation("timestamp", "clock skew",
                "timestamp is 12.3 s in the future (max 5 s): clock skew"));
    }

    @Test
    void acceptsTimestampsUpToTheAllowedSkewAndAnyInThePast() {
        assertThat(Checks.clockSkew("timestamp", NOW.plusSeconds(5), NOW, Duration.ofSeconds(5))).isEmpty();
        assertThat(Checks.clockSkew("timestamp", NOW.minusSeconds(3600), NOW, Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void reportsANullValueOnceAsRequiredNotOncePerRule() {
        List<Violation> violations = Checks.of().id("nodeId", null).currency("currency", null).result();

        assertThat(violations).containsExactly(
                new Violation("nodeId", "required", "nodeId is required"),
                new Violation("currency", "required", "currency is required"));
    }

    @Test
    void reportsNonFiniteValueAsFiniteRatherThanOutOfRange() {
        assertThat(Checks.of().percent("gpuUtil", Double.POSITIVE_INFINITY).result())
                .containsExactly(new Violation("gpuUtil", "finite", "gpuUtil must be finite, was Infinity"));
    }

    @Test
    void prefixesNestedViolationsWithTheirPath() {
        Validated inner = () -> List.of(new Violation("weight", "negative", "weight must not be negative, was -1.0"));

        List<Violation> violations = Checks.of().each("regions", List.of(inner, inner)).result();

        assertThat(violations).extracting(Violation::field).containsExactly("regions[0].weight", "regions[1].weight");
        assertThat(violations.get(1).message()).isEqualTo("regions[1].weight must not be negative, was -1.0");
    }

    @Test
    void keepsInlinedViolationsUnderTheirOwnNamesInCallOrder() {
        Validated inner = () -> List.of(new Violation("zone", "blank", "zone must not be blank"));

        List<Violation> violations = Checks.of().id("nodeId", "").inline(inner).required("state", null).result();

        assertThat(violations).extracting(Violation::field).containsExactly("nodeId", "zone", "state");
        assertThat(violations.get(1).message()).isEqualTo("zone must not be blank");
    }

    @Test
    void exceptionExposesTheFirstViolationAndKeepsAll() {
        List<Violation> violations = List.of(new Violation("a", "range", "a is bad"), new Violation("b", "blank", "b"));

        ContractViolationException e = new ContractViolationException(violations);

        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage("a is bad");
        assertThat(e.field()).isEqualTo("a");
        assertThat(e.rule()).isEqualTo("range");
        assertThat(e.violations()).isEqualTo(violations);
    }

    @Test
    void rejectsControlCharactersInIdentifiersAndTextNamingTheFirst() {
        assertThat(Checks.of().id("source", "itn\u0000x").result()).containsExactly(new Violation("source",
                "control character", "source must not contain control characters, found U+0000 at index 3"));
        assertThat(Checks.of().text("reason", "line one\nforged line", 1024).result())
                .extracting(Violation::rule).containsExactly("control character");
        assertThat(Checks.of().id("pool", "gpu\u009bcore").result()).extracting(Violation::rule)
                .containsExactly("control character");
        assertThat(Checks.of().id("pool", "gpu-core Zürich ✓").result()).isEmpty();
    }

    @Test
    void makesTextPrintableLineBreaksAsSpacesOtherControlsAsReplacementCharacters() {
        assertThat(Checks.printable("a\nb\tc\u0000d\u009be", 100)).isEqualTo("a b c\uFFFDd\uFFFDe");
        assertThat(Checks.printable("abcdef", 3)).isEqualTo("abc");
        assertThat(Checks.printable(null, 3)).isEmpty();
    }

    @Test
    void flagsAClaimedTimeOlderThanTheAllowedAge() {
        assertThat(Checks.tooOld("noticeAt", Instant.EPOCH, NOW, Duration.ofMinutes(15)).orElseThrow().rule())
                .isEqualTo("too old");
        assertThat(Checks.tooOld("noticeAt", NOW.minusSeconds(3600), NOW, Duration.ofMinutes(15)).orElseThrow())
                .isEqualTo(new Violation("noticeAt", "too old", "noticeAt is 3600 s old (max 900 s): too old"));
        assertThat(Checks.tooOld("noticeAt", NOW.minusSeconds(900), NOW, Duration.ofMinutes(15))).isEmpty();
        assertThat(Checks.tooOld("noticeAt", NOW.plusSeconds(900), NOW, Duration.ofMinutes(15))).isEmpty();
    }
}
