package dev.meridian.service.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps every {@code /q/metrics} page readable by strict text-format parsers (promtool, Telegraf).
 *
 * <p>Some library meters (Micrometer's own CPU meters) have double quotes in their description; the Prometheus
 * writer escapes them in HELP as {@code \"}, an escape the text format defines only inside label values, and strict
 * parsers refuse the whole page. Quotes in descriptions become single quotes, for every meter of every service.
 */
public class StrictHelpText {

    @Produces
    @Singleton
    MeterFilter singleQuotesInDescriptions() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return withoutDoubleQuotes(id);
            }
        };
    }

    static Meter.Id withoutDoubleQuotes(Meter.Id id) {
        String description = id.getDescription();
        if (description == null || description.indexOf('"') < 0) {
            return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                description.replace('"', '\''), id.getType());
    }
}
