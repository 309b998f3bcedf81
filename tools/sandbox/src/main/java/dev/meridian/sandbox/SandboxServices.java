package dev.meridian.sandbox;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.sandbox.ServiceProcess.ServiceSpec;
import dev.meridian.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the sandbox runs each service: the packaged runner, its fixed port (base port + its place in {@link #NAMES}) and
 * management port ({@link #MANAGEMENT_PORT_OFFSET} above it), and the configuration that makes one copy serve every
 * region of the registry on one broker. Everything else is the service's own production default.
 */
final class SandboxServices {

    /** In port order: with the default base port 8081, metrics-ingest is 8081 and audit 8085. */
    static final List<String> NAMES = List.of("metrics-ingest", "scheduler", "scaler", "cost", "audit");

    /**
     * A service's management interface (health, metrics) listens this far above its API port: 9081..9085 with the
     * default base port, the ports in the services' own application.properties.
     */
    static final int MANAGEMENT_PORT_OFFSET = 1000;

    private SandboxServices() {
    }

    static List<ServiceSpec> specs(Path repository, int basePort, String bootstrapServers, List<String> regions,
            PostgresServer postgres, AuditKeys keys, Path streamsState) {
        String homeRegions = String.join(",", regions);
        Map<String, String> identity = identity(keys, regions.get(0));
        return List.of(
                spec(repository, 0, basePort, bootstrapServers, streamsState, Map.of(), identity),
                spec(repository, 1, basePort, bootstrapServers, streamsState,
                        Map.of("meridian.scheduler.home-regions", homeRegions), identity),
                spec(repository, 2, basePort, bootstrapServers, streamsState,
                        Map.of("meridian.scaler.home-regions", homeRegions), identity),
                // A 2 s accrual tick instead of 10 s so the live view's spend moves visibly.
                spec(repository, 3, basePort, bootstrapServers, streamsState,
                        Map.of("meridian.cost.home-regions", homeRegions, "meridian.cost.tick", "2s"), identity),
                // Records without a region of their own (global budgets, registry rows) join the first region's chain.
                // Digests every 30 s instead of every hour, so a sandbox run's exports can be proven.
                spec(repository, 4, basePort, bootstrapServers, streamsState,
                        Map.of("meridian.audit.chain.digest-interval", SANDBOX_DIGEST_INTERVAL),
                        auditEnvironment(regions.get(0), postgres.jdbcUrl(), postgres, keys)));
    }

    /** How often the sandbox's audit signs a digest (production: hourly). */
    static final String SANDBOX_DIGEST_INTERVAL = "30s";

    /** Where audit keeps its store and which keys it uses: production's environment variables. */
    private static Map<String, String> auditEnvironment(String homeRegion, String jdbcUrl, PostgresServer postgres,
            AuditKeys keys) {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "MERIDIAN_HOME_REGION", homeRegion,
                "MERIDIAN_AUDIT_SIGNING_KEY", keys.signingKeyBase64(),
                "MERIDIAN_AUDIT_PUBLIC_KEY", keys.digestPublicKeyBase64(),
                "MERIDIAN_AUDIT_DB_URL", jdbcUrl,
                "MERIDIAN_AUDIT_DB_USER", postgres.username(),
                "MERIDIAN_AUDIT_DB_PASSWORD", postgres.password()));
        environment.putAll(identity(keys, homeRegion));
        // Payloads sealed at rest as in production, under a key-encryption key the sandbox makes on its first run
        // beside its other keys (production mounts it from a Secret and never generates one).
        environment.put("MERIDIAN_AUDIT_KEK_DIR", keys.jwks().toAbsolutePath().getParent().resolve("audit-kek")
                .toString());
        environment.put("MERIDIAN_AUDIT_KEK_GENERATE", "true");
        if (keys.legacyHmacKeyBase64() != null) {
            environment.put("MERIDIAN_AUDIT_LEGACY_HMAC_KEY", keys.legacyHmacKeyBase64());
        }
        return Map.copyOf(environment);
    }

    /**
     * Whom every service trusts (the sandbox's identity provider: issuer and the key its tokens are signed with), and
     * the region whose audit chain records the refusals that name no region.
     */
    static Map<String, String> identity(AuditKeys keys, String homeRegion) {
        return Map.of("MERIDIAN_JWT_ISSUER", AuditKeys.ISSUER,
                "MERIDIAN_JWT_PUBLIC_KEY_LOCATION", keys.jwks().toAbsolutePath().toString(),
                "MERIDIAN_HOME_REGION", homeRegion);
    }

    /** A region's audit store in the multi-region sandbox: its own database, so no region's records sit in another's. */
    record RegionalAudit(PostgresServer postgres, AuditKeys keys, String registryRegion) {
        String jdbcUrl(String region) {
            return postgres.jdbcUrl(database(region));
        }

        static String database(String region) {
            return "audit_" + region.replace('-', '_');
        }
    }

    /**
     * One region's copy of Meridian in the multi-region sandbox: the named services (of {@link #NAMES}) against the
     * region's own cluster, serving that region only, named {@code <service>@<region>}, on port
     * {@code regionBasePort} + the service's place in {@link #NAMES}. The scheduler recomputes every 2 s and looks
     * for newly mirrored topics every 2 s, so a region's loss and return show within the staleness timeout.
     */
    static List<ServiceSpec> regional(Path repository, List<String> services, int regionBasePort, String region,
            String bootstrapServers, Path streamsState, RegionalAudit audit) {
        Map<String, Map<String, String>> properties = Map.of(
                "metrics-ingest", Map.of(),
                "scheduler", Map.of("meridian.scheduler.home-regions", region,
                        "meridian.scheduler.routing.interval", "2s", "meridian.scheduler.topic-discovery", "2s"),
                "scaler", Map.of("meridian.scaler.home-regions", region),
                "cost", Map.of("meridian.cost.home-regions", region, "meridian.cost.tick", "2s"),
                "audit", audit.registryRegion().equals(region)
                        ? Map.of("meridian.audit.chain.digest-interval", SANDBOX_DIGEST_INTERVAL)
                        : Map.of("meridian.audit.chain.topics", operationTopicsOutsideTheRegistry(),
                                "meridian.audit.chain.digest-interval", SANDBOX_DIGEST_INTERVAL));
        return services.stream().map(name -> {
            if (!properties.containsKey(name)) {
                throw new IllegalArgumentException(name + " does not run per region in the sandbox; choose from "
                        + properties.keySet());
            }
            Map<String, String> environment = name.equals("audit")
                    ? auditEnvironment(region, audit.jdbcUrl(region), audit.postgres(), audit.keys())
                    : identity(audit.keys(), region);
            ServiceSpec spec = spec(repository, NAMES.indexOf(name), regionBasePort, bootstrapServers,
                    streamsState.resolve(region), properties.get(name), environment);
            return new ServiceSpec(name + "@" + region, spec.runnerJar(), spec.port(), spec.managementPort(),
                    spec.properties(), spec.environment());
        }).toList();
    }

    /**
     * Audit's operation topics less the registry's: outside the region that captures the registry only MirrorMaker's
     * copies of those exist, and the registry region's audit already chains every registry change.
     */
    static String operationTopicsOutsideTheRegistry() {
        return String.join(",", TopicCatalog.SCALING_COMMANDS, TopicCatalog.ROUTING_WEIGHTS,
                TopicCatalog.COST_BUDGET_STATUS, TopicCatalog.COST_ALERTS, TopicCatalog.FLEET_INTERRUPTIONS,
                TopicCatalog.AUDIT_OPERATIONS);
    }

    private static ServiceSpec spec(Path repository, int index, int basePort, String bootstrapServers,
            Path streamsState, Map<String, String> properties, Map<String, String> environment) {
        String name = NAMES.get(index);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("kafka.bootstrap.servers", bootstrapServers);
        all.put("kafka-streams.state.dir", streamsState.resolve(name).toAbsolutePath().toString());
        all.putAll(properties);
        int port = basePort + index;
        return new ServiceSpec(name, repository.resolve("services").resolve(name)
                .resolve("target/quarkus-app/quarkus-run.jar"), port, port + MANAGEMENT_PORT_OFFSET, all,
                environment);
    }
}
