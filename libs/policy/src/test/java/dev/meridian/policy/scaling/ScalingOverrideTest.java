package dev.meridian.policy.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ScalingOverrideTest {

    private static final ScalingOverride NONE = new ScalingOverride(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty());

    /** A base that differs from the defaults everywhere, so a value taken from the wrong place shows. */
    private static final ScalingSettings BASE = new ScalingSettings(85, 25, 65, 97, 4, Duration.ofMinutes(7),
            Duration.ofMinutes(8), 3, Duration.ofSeconds(45), Duration.ofMinutes(4), 12.0, 70.0);

    @Test
    void anEmptyOverrideKeepsTheBase() {
        assertThat(NONE.applyTo(BASE)).isEqualTo(BASE);
    }

    @Test
    void everyPresentValueReplacesItsOwnAndTheRestIsTheBases() {
        // the seed's gpu-batch row: 90 / 20 / 75 %, 6 windows, 10 min stabilization, cooldown and memory not set
        ScalingOverride batch = new ScalingOverride(Optional.of(new BigDecimal("90.00")),
                Optional.of(new BigDecimal("20.00")), Optional.of(new BigDecimal("75.00")), Optional.empty(),
                OptionalInt.of(6), Optional.of(Duration.ofSeconds(600)), Optional.empty());

        assertThat(batch.applyTo(BASE)).isEqualTo(new ScalingSettings(90, 20, 75, 97, 6, Duration.ofMinutes(10),
                Duration.ofMinutes(8), 3, Duration.ofSeconds(45), Duration.ofMinutes(4), 12.0, 70.0));
    }

    @Test
    void eachValueOnItsOwn() {
        assertThat(only(new BigDecimal("88.5"), null, null, null, null, null, null).applyTo(BASE).scaleOutUtilization())
                .isEqualTo(88.5);
        assertThat(only(null, new BigDecimal("10"), null, null, null, null, null).applyTo(BASE).scaleInUtilization())
                .isEqualTo(10);
        assertThat(only(null, null, new BigDecimal("50"), null, null, null, null).applyTo(BASE).targetUtilization())
                .isEqualTo(50);
        assertThat(only(null, null, null, new BigDecimal("99"), null, null, null).applyTo(BASE)
                .memoryResizeUtilization()).isEqualTo(99);
        assertThat(only(null, null, null, null, 2, null, null).applyTo(BASE).sustainWindows()).isEqualTo(2);
        assertThat(only(null, null, null, null, null, Duration.ofMinutes(1), null).applyTo(BASE).stabilization())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(only(null, null, null, null, null, null, Duration.ofMinutes(2)).applyTo(BASE).cooldown())
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void thresholdsAreJudgedTogetherAfterTheMerge() {
        // a target of 86 is above the base's scale-out of 85 but below the override's 90: merged first, then judged
        assertThat(only(new BigDecimal("90"), null, new BigDecimal("86"), null, null, null, null).applyTo(BASE)
                .targetUtilization()).isEqualTo(86);
        assertThatThrownBy(() -> only(null, null, new BigDecimal("86"), null, null, null, null).applyTo(BASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scaleIn < target < scaleOut");
    }

    private static ScalingOverride only(BigDecimal scaleOut, BigDecimal scaleIn, BigDecimal target,
            BigDecimal memory, Integer sustain, Duration stabilization, Duration cooldown) {
        return new ScalingOverride(Optional.ofNullable(scaleOut), Optional.ofNullable(scaleIn),
                Optional.ofNullable(target), Optional.ofNullable(memory),
                sustain == null ? OptionalInt.empty() : OptionalInt.of(sustain), Optional.ofNullable(stabilization),
                Optional.ofNullable(cooldown));
    }
}
