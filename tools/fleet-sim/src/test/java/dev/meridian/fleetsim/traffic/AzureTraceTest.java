package dev.meridian.fleetsim.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AzureTraceTest {

    private static AzureTrace read(String csv) {
        return AzureTrace.read(new StringReader(csv), "test.csv");
    }

    @Test
    void bucketsEachRequestsTokensIntoTheSecondItArrived() {
        AzureTrace trace = read("""
                TIMESTAMP,ContextTokens,GeneratedTokens
                2023-11-16 18:15:46.6805900,374,44
                2023-11-16 18:15:46.9951690,396,109
                2023-11-16 18:15:48.2224670,879,55

                """);

        assertThat(trace.first()).isEqualTo(Instant.parse("2023-11-16T18:15:46.680590Z"));
        assertThat(trace.requests()).isEqualTo(3);
        // seconds from the first request: +0.31 s is second 0 (374+44 + 396+109), +1.54 s second 1 (879+55)
        assertThat(trace.seconds()).isEqualTo(2);
        assertThat(trace.tokensInSecond(0)).isEqualTo(923.0);
        assertThat(trace.tokensInSecond(1)).isEqualTo(934.0);
        assertThat(trace.totalTokens()).isEqualTo(1_857.0);
    }

    @Test
    void readsColumnsByNameInAnyOrderAndIgnoresOthers() {
        AzureTrace trace = read("""
                GeneratedTokens,Model,TIMESTAMP,ContextTokens
                10,"llama",2023-11-16 18:00:00,90
                5,llama,2023-11-16 18:00:03.5,15
                """);

        assertThat(trace.seconds()).isEqualTo(4);
        assertThat(trace.tokensInSecond(0)).isEqualTo(100.0);
        assertThat(trace.tokensInSecond(3)).isEqualTo(20.0);
    }

    @Test
    void badRowsAreRefusedWithFileLineColumnAndValue() {
        String header = "TIMESTAMP,ContextTokens,GeneratedTokens\n";
        String good = "2023-11-16 18:15:46.6805900,374,44\n";

        assertThatThrownBy(() -> read(header + good + "2023-11-16 18:15:47.0,abc,4\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("test.csv:3: ContextTokens must be a whole number >= 0, was 'abc'");
        assertThatThrownBy(() -> read(header + "2023-11-16 18:15:47.0,12,-4\n"))
                .hasMessage("test.csv:2: GeneratedTokens must be a whole number >= 0, was '-4'");
        assertThatThrownBy(() -> read(header + "16/11/2023 18:15,12,4\n"))
                .hasMessageStartingWith("test.csv:2: TIMESTAMP must look like 2023-11-16 18:15:46.6805900, "
                        + "was '16/11/2023 18:15'");
        assertThatThrownBy(() -> read(header + good + "2023-11-16 18:15:47.0,12\n"))
                .hasMessage("test.csv:3: 2 fields, the header has 3");
        assertThatThrownBy(() -> read("TIMESTAMP,Context,GeneratedTokens\n" + good))
                .hasMessageStartingWith("test.csv:1: no column ContextTokens in the header TIMESTAMP,Context,"
                        + "GeneratedTokens");
        assertThatThrownBy(() -> read(header)).hasMessage("test.csv: no requests after the header");
        assertThatThrownBy(() -> read("")).hasMessageStartingWith("test.csv: empty");
        assertThatThrownBy(() -> read(header + good + "2023-12-16 18:15:46,1,1\n"))
                .hasMessageContaining("more than the PT168H a trace may cover");
    }
}
