package dev.meridian.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.metrics.StrictExposition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import org.junit.jupiter.api.Test;

class StrictHelpTextTest {

    @Test
    void quotedDescriptionsNoLongerBreakStrictParsers() {
        PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry filtered = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        filtered.config().meterFilter(new StrictHelpText().singleQuotesInDescriptions());
        for (PrometheusMeterRegistry registry : new PrometheusMeterRegistry[] {plain, filtered}) {
            Gauge.builder("process.cpu.usage", () -> 0.5).tag("pod", "a")
                    .description("The \"recent cpu usage\" for the Java Virtual Machine process").register(registry);
        }

        // Quarkus serves OpenMetrics to scrapers that accept anything, which escapes quotes in HELP as in label
        // values. Without the filter that page is refused, so the checks below can fail.
        assertThat(StrictExposition.problems(plain.scrape(TextFormat.CONTENT_TYPE_OPENMETRICS_100))).isNotEmpty();
        for (String contentType : new String[] {TextFormat.CONTENT_TYPE_OPENMETRICS_100, TextFormat.CONTENT_TYPE_004}) {
            String page = filtered.scrape(contentType);
            assertThat(StrictExposition.problems(page)).as(contentType).isEmpty();
            assertThat(page).contains("# HELP process_cpu_usage The 'recent cpu usage' for the Java")
                    .contains("process_cpu_usage{pod=\"a\"");
        }
    }
}
