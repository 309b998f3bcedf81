package dev.meridian.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExportWriterTest {

    private static final DateTimeFormatter PG_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @Test
    void postgresTimesBecomeInstantStrings() {
        assertThat(iso("2026-11-27 10:00:00+00")).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(iso("2026-11-27 10:00:00.5+00")).isEqualTo("2026-11-27T10:00:00.500Z");
        assertThat(iso("2026-11-27 10:00:00.123+00")).isEqualTo("2026-11-27T10:00:00.123Z");
        assertThat(iso("2026-11-27 10:00:00.1234+00")).isEqualTo("2026-11-27T10:00:00.123400Z");
        assertThat(iso("2026-11-27 10:00:00.000001+00")).isEqualTo("2026-11-27T10:00:00.000001Z");
    }

    @Test
    void anythingButPlainUtcIsLeftToTheDriver() {
        assertThat(ExportWriter.isoTime(bytes("2026-11-27 10:00:00+01"))).isNull();
        assertThat(ExportWriter.isoTime(bytes("2026-11-27 10:00:00+05:30"))).isNull();
        assertThat(ExportWriter.isoTime(bytes("12026-11-27 10:00:00+00"))).isNull();
        assertThat(ExportWriter.isoTime(bytes("2026-11-27T10:00:00Z"))).isNull();
    }

    /** PostgreSQL prints the fraction without trailing zeros; Instant.toString pads it to 3 or 6 digits. */
    @Test
    void agreesWithInstantToStringForRandomMicrosecondTimes() {
        Random random = new Random(8);
        for (int i = 0; i < 2_000; i++) {
            long micros = random.nextLong(4_102_444_800_000_000L); // 1970 .. 2100
            if (i % 4 == 0) {
                micros -= micros % 1_000_000; // whole seconds
            } else if (i % 4 == 1) {
                micros -= micros % 1_000; // whole milliseconds
            }
            Instant instant = Instant.EPOCH.plusNanos(micros * 1000);
            String fraction = String.format("%06d", micros % 1_000_000).replaceAll("0+$", "");
            String pg = PG_SECONDS.format(instant) + (fraction.isEmpty() ? "" : "." + fraction) + "+00";
            assertThat(iso(pg)).as(pg).isEqualTo(instant.toString());
        }
    }

    @Test
    void copyTextEscapesOnlyWhatCopyGivesAMeaning() {
        assertThat(CopyStream.escape("plain {\"a\": 1}")).isEqualTo("plain {\"a\": 1}");
        assertThat(CopyStream.escape("a\\b\tc\nd\re")).isEqualTo("a\\\\b\\tc\\nd\\re");
    }

    private static String iso(String pg) {
        return new String(ExportWriter.isoTime(bytes(pg)), StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
