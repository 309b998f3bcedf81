package dev.meridian.testkit.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StrictExpositionTest {

    private static final String GOOD = """
            # HELP http_requests_total Requests served, by "route" \\\\ status\\nsecond line
            # TYPE http_requests_total counter
            http_requests_total{route="/v1/\\"x\\"",status="200"} 3.0
            http_requests_total{route="/v1/y",status="500"} 1 1733490000000
            # HELP latency_seconds Latency
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 1
            latency_seconds_bucket{le="+Inf"} 2
            latency_seconds_count 2
            latency_seconds_sum 0.25
            # TYPE up gauge
            up NaN
            """;

    @Test
    void aWellFormedPageHasNoProblems() {
        assertThat(StrictExposition.problems(GOOD)).isEmpty();
    }

    @Test
    void anEscapedQuoteInHelpIsRefusedAsStrictParsersDo() {
        String page = "# HELP jvm_info JVM \\\"version\\\" info\n# TYPE jvm_info gauge\njvm_info 1\n";

        // One problem per escape: both quotes are refused.
        assertThat(StrictExposition.problems(page)).hasSize(2)
                .allSatisfy(p -> assertThat(p).startsWith("line 1: HELP of jvm_info has the escape \\\""));
    }

    @Test
    void brokenSamplesAreEachNamed() {
        String page = """
                # TYPE a counter
                a{x="1} 1
                # TYPE b gauge
                b{2x="1"} 1
                b{y="1",y="2"} 1
                b 1e
                b_total 1
                # TYPE b gauge
                """;

        assertThat(StrictExposition.problems(page)).containsExactly(
                "line 2: unterminated value of label x",
                "line 4: bad label name 2x",
                "line 5: label y twice",
                "line 6: bad value 1e",
                "line 7: gauge b has a sample named b_total",
                "line 8: second TYPE for b");
    }

    @Test
    void aFamilysSamplesMustStayTogether() {
        String page = "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n";

        assertThat(StrictExposition.problems(page)).containsExactly("line 5: samples of a are not together");
    }
}
