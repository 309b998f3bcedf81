package dev.meridian.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsUnitsAndTheirSums() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(converter.convert("PT2H")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void refusesWhatIsNotAPositiveDuration() {
        for (String bad : new String[] {"", "2", "h", "2x", "1h 30m", "0s", "-1h", "PT-1H", "1h30"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
    }
}
