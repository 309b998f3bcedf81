package dev.meridian.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.validation.ContractViolationException;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalInstantsTest {

    /** What reading an instant meant before the fast path: the JavaTimeModule alone. */
    private static final ObjectMapper GENERAL = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final String MUTATIONS = "0123456789-:.TZtz+ ";

    @Test
    void readsEveryCanonicalInstantExactlyAsInstantParseDoes() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(253_402_300_800L), random.nextInt(1_000_000_000));
            String text = withFractionDigits(instant, random.nextInt(10));

            assertThat(CanonicalInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void acceptsAndRejectsExactlyWhatTheGeneralParserDoes() {
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(4_102_444_800L), random.nextInt(1_000_000_000));
            String text = mutate(withFractionDigits(instant, random.nextInt(10)), random);

            assertThat(read(ContractJson.mapper(), text)).as(text).isEqualTo(read(GENERAL, text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T23:59:59.5Z", "2026-11-27T13:00:00Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z"})
    void takesTheFastPathForCanonicalText(String text) {
        assertThat(CanonicalInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T00:00:00Z", "2026-11-27T13:00:00+01:00", "2026-11-27T13:00:00.Z",
        "2026-11-27t13:00:00z", "2026-11-27T24:00:00Z", "2026-11-27T13:00:60Z", "2026-13-01T00:00:00Z",
        "2026-11-27T13:00:00.1234567890Z", " 2026-11-27T13:00:00Z", "+12026-11-27T13:00:00Z", "yesterday"})
    void leavesAnythingElseToTheGeneralParser(String text) {
        assertThat(CanonicalInstants.parse(text)).isNull();
        assertThat(read(ContractJson.mapper(), text)).isEqualTo(read(GENERAL, text));
    }

    @Test
    void anImpossibleDateIsStillRejectedNamingTheField() {
        String json = JsonTrees.set(ContractSamples.nodeMetric(), "timestamp", "\"2026-02-29T00:00:00Z\"");

        assertThatThrownBy(() -> ContractJson.read(json, NodeMetric.class))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.violations())
                        .singleElement()
                        .satisfies(v -> {
                            assertThat(v.field()).isEqualTo("timestamp");
                            assertThat(v.rule()).isEqualTo(ContractJson.RULE_TYPE);
                        }));
    }

    /** {@link Instant#toString()} with the fraction cut or padded to {@code digits} digits (0: none). */
    private static String withFractionDigits(Instant instant, int digits) {
        String whole = instant.toString().substring(0, 19);
        String nanos = String.format("%09d", instant.getNano());
        return digits == 0 ? whole + "Z" : whole + "." + nanos.substring(0, digits) + "Z";
    }

    private static String mutate(String text, Random random) {
        StringBuilder mutated = new StringBuilder(text);
        int at = random.nextInt(text.length());
        char c = MUTATIONS.charAt(random.nextInt(MUTATIONS.length()));
        switch (random.nextInt(4)) {
            case 0 -> mutated.setCharAt(at, c);
            case 1 -> mutated.deleteCharAt(at);
            case 2 -> mutated.insert(at, c);
            default -> {
                // unchanged: canonical text must keep reading the same too
            }
        }
        return mutated.toString();
    }

    /** The instant read from {@code text} as a JSON string, or empty when the mapper refuses it. */
    private static Optional<Instant> read(ObjectMapper mapper, String text) {
        try {
            return Optional.of(mapper.readValue(mapper.writeValueAsString(text), Instant.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
