package dev.meridian.fleetsim.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PolicySetTest {

    private static PolicySet of(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return PolicySet.of(properties, "file");
    }

    @Test
    void aFileNamesOnlyWhatDiffers() throws IOException {
        PolicySet eager = of("""
                name=eager
                scale-out-utilization=70
                target-utilization=55
                stabilization=10m
                routing.epsilon=0.02
                """);

        assertThat(eager.name()).isEqualTo("eager");
        assertThat(eager.scaling().scaleOutUtilization()).isEqualTo(70);
        assertThat(eager.scaling().targetUtilization()).isEqualTo(55);
        assertThat(eager.scaling().scaleInUtilization()).isEqualTo(30);
        assertThat(eager.scaling().stabilization()).isEqualTo(Duration.ofMinutes(10));
        assertThat(eager.scaling().sustainWindows()).isEqualTo(3);
        assertThat(eager.routing().epsilon()).isEqualTo(0.02);
        assertThat(of("max-step=2").name()).isEqualTo("file");
    }

    @Test
    void typosAndContradictionsAreRefused() {
        assertThatThrownBy(() -> of("scale-out-utilisation=70")).hasMessageStartingWith(
                "unknown policy key(s) [scale-out-utilisation]");
        assertThatThrownBy(() -> of("scale-out-utilization=55")).hasMessageContaining("need scaleIn < target < "
                + "scaleOut");
        assertThatThrownBy(() -> of("cooldown=soon")).hasMessageStartingWith("cooldown: not a duration: 'soon'");
        assertThatThrownBy(() -> PolicySet.defaults().withScaleOut(50)).hasMessageContaining("need scaleIn");
    }

    @Test
    void aThresholdVariantIsNamedAfterIt() {
        assertThat(PolicySet.defaults().withScaleOut(72.5).name()).isEqualTo("scale-out 72.5 %");
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.format(Duration.ofSeconds(3502))).isEqualTo("58m22s");
        assertThat(Durations.format(Duration.ofSeconds(3600))).isEqualTo("1h");
    }
}
