package dev.meridian.testkit.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * deploy/observability/metrics.txt, the metrics deploy/'s alerts and dashboards name, seen from a service's tests:
 * {@link #missingFrom} lists the catalog's series of that service a /q/metrics scrape does not have, so a renamed
 * meter fails the service's own IT instead of silently breaking an alert. tests/deploy checks the other side (every
 * alert names only catalog metrics).
 */
public final class MetricCatalog {

    private MetricCatalog() {
    }

    /** The catalog's series names for one service ({@code metrics-ingest}, {@code scheduler}, ...). */
    public static List<String> of(String service) {
        // Surefire and Failsafe run in the module directory, two levels below the repository root.
        Path file = Path.of(System.getProperty("meridian.root", "../..")).resolve("deploy/observability/metrics.txt");
        try {
            List<String> names = Files.readAllLines(file).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.split("\\s+"))
                    .filter(parts -> parts[0].equals(service))
                    .map(parts -> parts[1])
                    .toList();
            if (names.isEmpty()) {
                throw new IllegalStateException(file + " names no metric of " + service);
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metric catalog " + file, e);
        }
    }

    /** The catalog's series of the service that the Prometheus text exposition does not contain. */
    public static List<String> missingFrom(String service, String scrape) {
        List<String> lines = scrape.lines().filter(line -> !line.startsWith("#")).toList();
        return of(service).stream()
                .filter(name -> lines.stream().noneMatch(line -> line.startsWith(name + "{")
                        || line.startsWith(name + " ")))
                .toList();
    }
}
