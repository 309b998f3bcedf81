package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * A ServiceMonitor per service, the alerts the issue lists, five dashboards, and every metric they name in the
 * metric catalog: alerts only what a service exposes (its IT checks the same catalog against /q/metrics).
 */
class ObservabilityTest {

    private static final Path OBSERVABILITY = Repo.DEPLOY.resolve("observability");

    /** exposer → series names, from metrics.txt. */
    static Map<String, Set<String>> catalog() {
        Map<String, Set<String>> catalog = new HashMap<>();
        for (String line : Repo.read(OBSERVABILITY.resolve("metrics.txt")).lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            assertThat(parts).as(line).hasSize(2);
            catalog.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[1]);
        }
        return catalog;
    }

    private static Set<String> serviceMetrics() {
        Map<String, Set<String>> catalog = catalog();
        return Repo.SERVICES.stream().flatMap(s -> catalog.getOrDefault(s, Set.of()).stream())
                .collect(Collectors.toSet());
    }

    @Test
    void catalogNamesOnlyTheFiveServicesAndAgents() {
        Set<String> exposers = new TreeSet<>(Repo.SERVICES);
        exposers.add("agent");
        assertThat(exposers).containsAll(catalog().keySet());
        assertThat(catalog().keySet()).containsAll(Repo.SERVICES);
    }

    @Test
    void agentMetricsAreSeriesMetricsIngestReads() throws IOException {
        String ingestSources;
        try (Stream<Path> files = Files.walk(Repo.ROOT.resolve("services/metrics-ingest/src/main/java"))) {
            ingestSources = files.filter(f -> f.toString().endsWith(".java")).map(Repo::read)
                    .collect(Collectors.joining("\n"));
        }
        for (String metric : catalog().getOrDefault("agent", Set.of())) {
            assertThat(ingestSources).as(metric).contains("\"" + metric + "\"");
        }
    }

    @Test
    void oneServiceMonitorPerServiceScrapingQMetricsOnTheManagementPort() {
        Map<String, GenericKubernetesResource> monitors = new HashMap<>();
        for (Manifests.Doc doc : Manifests.documents(OBSERVABILITY.resolve("service-monitors.yaml"))) {
            assertThat(doc.kind()).isEqualTo("ServiceMonitor");
            GenericKubernetesResource monitor = Manifests.generic(doc);
            assertThat(monitor.getAdditionalProperties().keySet()).as(doc.toString()).containsExactly("spec");
            monitors.put(doc.name(), monitor);
        }
        assertThat(monitors.keySet()).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
        Map<String, Service> services = new HashMap<>();
        Manifests.ofKind(Manifests.resources(), Service.class).values()
                .forEach(s -> services.put(s.getMetadata().getName(), s));
        monitors.forEach((service, monitor) -> {
            JsonNode spec = new ObjectMapper().valueToTree(monitor.getAdditionalProperties().get("spec"));
            assertThat(fields(spec)).as(service).containsExactlyInAnyOrder("selector", "endpoints");
            assertThat(spec.path("selector").path("matchLabels").path("app.kubernetes.io/name").asText())
                    .isEqualTo(service);
            assertThat(spec.path("endpoints")).hasSize(1);
            JsonNode endpoint = spec.path("endpoints").get(0);
            // scheme and tlsConfig: HTTPS, checked in HttpsTest.
            assertThat(fields(endpoint)).as(service).isSubsetOf("port", "path", "interval", "scrapeTimeout", "scheme",
                    "tlsConfig");
            // Quarkus' management interface, apart from the API port; the service's Service names it.
            assertThat(endpoint.path("port").asText()).isEqualTo("management");
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
            assertThat(services.get(service)).as(service + " Service").isNotNull();
            assertThat(services.get(service).getSpec().getPorts()).extracting(ServicePort::getName).as(service)
                    .contains("management");
        });
    }

    @Test
    void theRuleHasTheIssuesAlertsAndEveryExpressionNamesOnlyServiceMetrics() {
        List<Manifests.Doc> docs = Manifests.documents(OBSERVABILITY.resolve("prometheus-rule.yaml"));
        assertThat(docs).singleElement().satisfies(doc -> assertThat(doc.kind()).isEqualTo("PrometheusRule"));
        JsonNode spec = docs.get(0).tree().path("spec");
        assertThat(fields(spec)).containsExactly("groups");
        Map<String, String> alerts = new HashMap<>();
        for (JsonNode group : spec.path("groups")) {
            assertThat(fields(group)).isSubsetOf("name", "rules", "interval");
            for (JsonNode rule : group.path("rules")) {
                assertThat(fields(rule)).as(rule.path("alert").asText())
                        .isSubsetOf("alert", "expr", "for", "labels", "annotations");
                assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "critical");
                alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        assertThat(alerts.keySet()).contains("MeridianIngestLag", "MeridianDeadLetterRate", "MeridianStaleNodes",
                "MeridianBudgetWarn", "MeridianBudgetExceeded", "MeridianAuditRecordQuarantined", "MeridianConsumerLag",
                "MeridianScalerReactionSlow");
        Set<String> exposed = serviceMetrics();
        alerts.forEach((alert, expr) -> {
            Set<String> named = PromQl.metricNames(expr);
            assertThat(named).as(alert + " names a metric").isNotEmpty();
            assertThat(exposed).as(alert + ": " + expr).containsAll(named);
        });
    }

    @Test
    void fiveDashboardsNameOnlyCatalogMetrics() throws IOException {
        Set<String> known = catalog().values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        List<Path> files;
        try (Stream<Path> list = Files.list(OBSERVABILITY.resolve("dashboards"))) {
            files = list.sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactlyInAnyOrder(
                "utilization-by-region.json", "routing-weights.json", "scale-actions.json", "spend-vs-budget.json",
                "audit-ingestion.json");
        List<String> unknown = new ArrayList<>();
        Set<String> uids = new TreeSet<>();
        for (Path file : files) {
            JsonNode dashboard = json(file);
            assertThat(dashboard.path("title").asText()).as(file.toString()).isNotBlank();
            assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid " + file).isTrue();
            assertThat(dashboard.path("panels")).as(file.toString()).isNotEmpty();
            for (JsonNode panel : dashboard.path("panels")) {
                assertThat(panel.path("targets")).as(file + " " + panel.path("title")).isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    Set<String> named = PromQl.metricNames(target.path("expr").asText());
                    assertThat(named).as(file + " " + panel.path("title")).isNotEmpty();
                    named.stream().filter(n -> !known.contains(n))
                            .forEach(n -> unknown.add(file.getFileName() + ": " + n));
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void theMetricNameFinderSkipsLabelsFunctionsAndGrouping() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (namespace, le) "
                + "(rate(meridian_scaler_reaction_seconds_bucket{job=\"x\"}[10m]))) > 1"))
                .containsExactly("meridian_scaler_reaction_seconds_bucket");
        assertThat(PromQl.metricNames("sum(rate(a_total[5m])) / on(pod) group_left(node) b_info offset 5m"))
                .containsExactlyInAnyOrder("a_total", "b_info");
    }

    private static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
