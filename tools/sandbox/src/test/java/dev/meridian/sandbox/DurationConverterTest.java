package dev.meridian.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

    private final SandboxCommand.DurationConverter converter = new SandboxCommand.DurationConverter();

    @Test
    void readsTheUnitsTheReadmeUses() {
        assertThat(converter.convert("120s")).isEqualTo(Duration.ofSeconds(120));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void refusesAnUnknownUnitWithAClearMessage() {
        assertThatThrownBy(() -> converter.convert("3d"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("is not a duration like 120s");
    }
}
