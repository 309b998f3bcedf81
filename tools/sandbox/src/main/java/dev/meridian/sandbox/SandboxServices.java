package dev.meridian.sandbox;

import dev.meridian.sandbox.ServiceProcess.ServiceSpec;
import dev.meridian.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the sandbox runs each service: the packaged runner, its fixed port (base port + its place in {@link #NAMES}),
 * and the configuration that makes one copy serve every region of the registry on one broker. Everything else is
 * the service's own production default.
 */
final class SandboxServices {

    /** In port order: with the default base port 8081, metrics-ingest is 8081 and audit 8085. */
    static final List<String> NAMES = List.of("metrics-ingest", "scheduler", "scaler", "cost", "audit");

    private SandboxServices() {
    }

    static List<ServiceSpec> specs(Path repository, int basePort, String bootstrapServers, List<String> regions,
            PostgresServer postgres, AuditKeys keys, Path streamsState) {
        String homeRegions = String.join(",", regions);
        return List.of(
                spec(repository, 0, basePort, bootstrapServers, streamsState, Map.of(), Map.of()),
                spec(repository, 1, basePort, bootstrapServers, streamsState,
                        Map.of("meridian.scheduler.home-regions", homeRegions), Map.of()),
                spec(repository, 2, basePort, bootstrapServers, streamsState,
                        Map.of("meridian.scaler.home-regions", homeRegions), Map.of()),
                // A 2 s accrual tick instead of 10 s so the live view's spend moves visibly.
                spec(repository, 3, basePort, bootstrapServers, streamsState,
                        Map.of("meridian.cost.home-regions", homeRegions, "meridian.cost.tick", "2s"), Map.of()),
                spec(repository, 4, basePort, bootstrapServers, streamsState, Map.of(), Map.of(
                        // Records without a region of their own (global budgets, registry rows) join this chain.
                        "MERIDIAN_HOME_REGION", regions.get(0),
                        "MERIDIAN_AUDIT_SIGNING_KEY", keys.signingKeyBase64(),
                        "MERIDIAN_AUDIT_DB_URL", postgres.jdbcUrl(),
                        "MERIDIAN_AUDIT_DB_USER", postgres.username(),
                        "MERIDIAN_AUDIT_DB_PASSWORD", postgres.password(),
                        "MERIDIAN_JWT_ISSUER", AuditKeys.ISSUER,
                        "MERIDIAN_JWT_PUBLIC_KEY_LOCATION", keys.publicKeyPem().toAbsolutePath().toString())));
    }

    /**
     * One region's copy of Meridian in the multi-region sandbox: the named services (of {@link #NAMES}) against the
     * region's own cluster, serving that region only, named {@code <service>@<region>}, on port
     * {@code regionBasePort} + the service's place in {@link #NAMES}. The scheduler recomputes every 2 s and looks
     * for newly mirrored topics every 2 s, so a region's loss and return show within the staleness timeout.
     */
    static List<ServiceSpec> regional(Path repository, List<String> services, int regionBasePort, String region,
            String bootstrapServers, Path streamsState) {
        Map<String, Map<String, String>> properties = Map.of(
                "metrics-ingest", Map.of(),
                "scheduler", Map.of("meridian.scheduler.home-regions", region,
                        "meridian.scheduler.routing.interval", "2s", "meridian.scheduler.topic-discovery", "2s"),
                "scaler", Map.of("meridian.scaler.home-regions", region),
                "cost", Map.of("meridian.cost.home-regions", region, "meridian.cost.tick", "2s"));
        return services.stream().map(name -> {
            if (!properties.containsKey(name)) {
                throw new IllegalArgumentException(name + " does not run per region in the sandbox; choose from "
                        + properties.keySet());
            }
            ServiceSpec spec = spec(repository, NAMES.indexOf(name), regionBasePort, bootstrapServers,
                    streamsState.resolve(region), properties.get(name), Map.of());
            return new ServiceSpec(name + "@" + region, spec.runnerJar(), spec.port(), spec.properties(),
                    spec.environment());
        }).toList();
    }

    private static ServiceSpec spec(Path repository, int index, int basePort, String bootstrapServers,
            Path streamsState, Map<String, String> properties, Map<String, String> environment) {
        String name = NAMES.get(index);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("kafka.bootstrap.servers", bootstrapServers);
        all.put("kafka-streams.state.dir", streamsState.resolve(name).toAbsolutePath().toString());
        all.putAll(properties);
        return new ServiceSpec(name, repository.resolve("services").resolve(name)
                .resolve("target/quarkus-app/quarkus-run.jar"), basePort + index, all, environment);
    }
}
