package dev.meridian.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.meridian.fleetsim.emit.Emission;
import dev.meridian.fleetsim.kafka.FleetSimulator;
import dev.meridian.fleetsim.kafka.SimulationOptions;
import dev.meridian.fleetsim.traffic.AzureTrace;
import dev.meridian.fleetsim.traffic.TraceReplay;
import dev.meridian.testkit.quarkus.LocalHttps;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./meridian sandbox}: the whole system on loopback ({@link Sandbox}) with node samples flowing and a live
 * view, until Ctrl-C or {@code --duration}.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Run Meridian locally: Kafka, PostgreSQL with the registry, Kafka Connect with Debezium, "
                + "the five services and a fleet under load, with a live view.")
public final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--dir", description = "Working directory for logs, keys and state (default: ${DEFAULT-VALUE}).",
            defaultValue = ".sandbox")
    Path dir;

    @Option(names = "--duration", description = "Run this long, print a summary and exit 0 (e.g. 120s, 5m).",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--fresh", description = "Start from empty servers: throw away the Kafka log, PostgreSQL "
            + "data, Streams state and Connect offsets kept in --dir by earlier runs (keys and logs stay).")
    boolean fresh;

    @Option(names = "--no-services", description = "Start only the servers, not the Meridian services.")
    boolean noServices;

    @Option(names = "--no-load", description = "Do not run the fleet simulator.")
    boolean noLoad;

    @Option(names = "--compression", description = "Fleet simulator: how much faster the traffic pattern and the "
            + "provisioning delays run than real time; timestamps stay wall-clock (default: ${DEFAULT-VALUE}, so a "
            + "cold start takes 8.5 s).", defaultValue = "10")
    double compression;

    @Option(names = "--trace", description = "Fleet simulator: replay this Azure LLM inference CSV trace "
            + "(TIMESTAMP, ContextTokens, GeneratedTokens) in every region instead of the synthetic day.")
    Path trace;

    @Option(names = "--emit", description = "Fleet simulator: which door of metrics-ingest the node samples take: "
            + "kafka (meridian.metrics.raw.v1), http (POST /v1/metrics) or remote-write (Prometheus remote_write, "
            + "POST /api/v1/write) (default: ${DEFAULT-VALUE}).", defaultValue = "kafka",
            converter = EmissionConverter.class)
    Emission.Kind emit;

    @Option(names = "--base-port", description = "Port of metrics-ingest; scheduler, scaler, cost and audit take "
            + "the next four (default: ${DEFAULT-VALUE}, so 8081..8085); each one's health and metrics are on its "
            + "port + 1000.", defaultValue = "8081")
    int basePort;

    @Option(names = "--multi-region", description = "Run production's layout instead: one Kafka cluster per "
            + "region (us-east, eu-west, eu-central) with MirrorMaker 2 between them, and per region its own "
            + "metrics-ingest, scheduler, scaler, cost and audit (ports base + 10 per region), fed by steady node agents.")
    boolean multiRegion;

    @Option(names = "--cut", description = "With --multi-region: cut this region's wide-area link --cut-after the "
            + "start, for --cut-for, and show when its zone neighbours' weights drop it and take it back.")
    String cutRegion;

    @Option(names = "--cut-after", description = "With --cut (default: ${DEFAULT-VALUE}).", defaultValue = "60s",
            converter = DurationConverter.class)
    Duration cutAfter;

    @Option(names = "--cut-for", description = "With --cut (default: ${DEFAULT-VALUE}).", defaultValue = "60s",
            converter = DurationConverter.class)
    Duration cutFor;

    @Option(names = "--secure", description = {"Production's transport security: services log in to Kafka as their "
            + "own KafkaUsers (SASL_SSL, SCRAM-SHA-512, TLS 1.3) on a broker enforcing deploy/'s ACLs, serve HTTPS only "
            + "(TLS 1.3; CA in <dir>/tls/ca.crt), and audit and Debezium use TLS-only PostgreSQL (verify-full).",
            "Not with --multi-region."})
    boolean secure;

    @Option(names = "--refresh", description = "Live view refresh period (default: ${DEFAULT-VALUE}).",
            defaultValue = "1s", converter = DurationConverter.class)
    Duration refresh;

    private final PrintStream out = System.out;
    private final Set<String> reportedCrashes = new HashSet<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new SandboxCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Instant started = Instant.now();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C: ask the main loop to stop, then hold the JVM until every child and server is closed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sandbox-stop"));
        if (emit != Emission.Kind.KAFKA && (multiRegion || noServices || noLoad)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--emit " + emit.option()
                    + " needs the single-region sandbox's metrics-ingest and fleet simulator (not with "
                    + "--multi-region, --no-services or --no-load)");
        }
        if (secure && multiRegion) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--secure runs the single-region sandbox"
                    + " only; the multi-region layout's secure wide-area links are exercised by MultiRegionTlsIT");
        }
        if (secure) {
            // Before any TLS connection: this JVM's own HTTPS clients trust the sandbox's CA and nothing else.
            LocalHttps.trustOnly(dir);
        }
        if (multiRegion) {
            try {
                return runMultiRegion(started, stop);
            } finally {
                stopped.countDown();
            }
        }
        Sandbox sandbox = null;
        try {
            sandbox = Sandbox.start(new Sandbox.Options(dir, Path.of("").toAbsolutePath(), basePort, !noServices,
                    Duration.ofSeconds(180), fresh, secure), this::step);
            FleetSimulator simulator = null;
            if (!noLoad) {
                Sandbox running = sandbox;
                SimulationOptions options = simulationOptions(sandbox.keys());
                simulator = running.stopWithSandbox(step("fleet simulator (" + (trace == null ? "synthetic day"
                                : "trace " + trace.getFileName()) + ", compression " + compression + ", " + emit.option()
                                + ")",
                        () -> FleetSimulator.start(running.kafka().bootstrapServers(), running.fleet()::current,
                                options)));
            }
            out.printf("%nready in %.1f s — Kafka %s, PostgreSQL %s%n", secondsSince(started),
                    sandbox.kafka().bootstrapServers(), sandbox.postgres().jdbcUrl());
            out.println("logs: " + dir.toAbsolutePath() + "/*.log; API tokens, one per role (valid 12 h): "
                    + writeTokens(sandbox));
            if (secure) {
                out.println("HTTPS only (TLS 1.3): curl --cacert " + LocalHttps.caCertificate(dir).toAbsolutePath()
                        + " -H \"Authorization: Bearer $(cat " + dir.resolve("keys/viewer.jwt") + ")\" "
                        + sandbox.uri("cost", "/v1/budgets"));
            }
            out.println("Ctrl-C stops everything");

            FleetSimulator fleetSimulator = simulator;
            LiveView view = sandbox.stopWithSandbox(new LiveView(out, sandbox,
                    fleetSimulator == null ? () -> null : fleetSimulator::stats));
            Instant until = duration == null ? Instant.MAX : Instant.now().plus(duration);
            while (Instant.now().isBefore(until) && !stop.await(refresh.toMillis(), TimeUnit.MILLISECONDS)) {
                view.render();
                reportCrashes(sandbox);
            }
            view.render();
            out.printf("%nsummary: ran %.0f s; %s%n", secondsSince(started), view.summary());
            return sandbox.services().stream().allMatch(ServiceProcess::isAlive) ? 0 : 1;
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
            stopped.countDown();
        }
    }

    private int runMultiRegion(Instant started, CountDownLatch stop) throws Exception {
        if (cutRegion != null && !MultiRegionSandbox.REGIONS.contains(cutRegion)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--cut must be one of " + MultiRegionSandbox.REGIONS + ", was " + cutRegion);
        }
        try (MultiRegionSandbox sandbox = MultiRegionSandbox.start(new MultiRegionSandbox.Options(dir,
                Path.of("").toAbsolutePath(), basePort, MultiRegionSandbox.SERVICES, Duration.ofSeconds(240)),
                this::step)) {
            Instant ready = Instant.now();
            out.printf("%nready in %.1f s; logs: %s/<service>@<region>.log; Ctrl-C stops everything%n",
                    secondsSince(started), dir.toAbsolutePath());
            MultiRegionView view = sandbox.stopWithSandbox(new MultiRegionView(out, sandbox));
            Instant cutAt = cutRegion == null ? Instant.MAX : ready.plus(cutAfter);
            Instant restoreAt = cutRegion == null ? Instant.MAX : cutAt.plus(cutFor);
            Instant until = duration == null ? Instant.MAX : Instant.now().plus(duration);
            while (Instant.now().isBefore(until) && !stop.await(refresh.toMillis(), TimeUnit.MILLISECONDS)) {
                if (Instant.now().isAfter(cutAt)) {
                    view.cut(cutRegion);
                    cutAt = Instant.MAX;
                }
                if (Instant.now().isAfter(restoreAt)) {
                    view.restore(cutRegion);
                    restoreAt = Instant.MAX;
                }
                view.render();
                sandbox.services().stream().filter(s -> !s.isAlive() && reportedCrashes.add(s.name()))
                        .forEach(s -> System.err.println("sandbox: " + s.status()));
            }
            view.render();
            out.printf("%nsummary: ran %.0f s; %s%n", secondsSince(started), view.summary());
            return sandbox.services().stream().allMatch(ServiceProcess::isAlive) ? 0 : 1;
        }
    }

    private SimulationOptions simulationOptions(AuditKeys keys) {
        // metrics-ingest listens on the base port (SandboxServices), on loopback like everything else here. The
        // simulator's nodes call its doors as agents and termination handlers would, with a token of both roles.
        Emission doors = Emission.of(emit, URI.create((secure ? "https" : "http") + "://localhost:" + basePort))
                .withBearerToken(() -> keys
                .token("fleet-sim", Set.of("agent", "termination-handler"), List.of("*"), Duration.ofMinutes(5)));
        SimulationOptions options = SimulationOptions.defaults().withCompression(compression).withEmission(doors);
        if (trace == null) {
            return options;
        }
        // The Azure LLM inference trace (2023, CC-BY 4.0, Microsoft Azure) or any file in its format.
        TraceReplay replay = new TraceReplay(AzureTrace.read(trace), Map.of(), TraceReplay.RegionReplay.AS_RECORDED);
        return options.withTraffic(replay, null);
    }

    /**
     * One token per role under {@code keys/}, for trying the APIs by hand: {@code curl -H "Authorization: Bearer
     * $(cat .sandbox/keys/viewer.jwt)" …}. Region-scoped ones show the region rule: the APAC operator sees only
     * ap-southeast, the EU auditor only the EU regions.
     */
    private Path writeTokens(Sandbox sandbox) throws IOException {
        Path keys = dir.resolve("keys");
        Duration lifetime = Duration.ofHours(12);
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("admin", sandbox.keys().token("sandbox-admin", "admin", List.of("*"), lifetime));
        tokens.put("viewer", sandbox.keys().token("sandbox-viewer", "viewer", List.of("*"), lifetime));
        tokens.put("auditor", sandbox.keys().token("sandbox-user", "auditor", List.of("*"), lifetime));
        tokens.put("apac-operator", sandbox.keys().token("apac-operator", "operator", List.of("ap-southeast"),
                lifetime));
        tokens.put("eu-auditor", sandbox.keys().token("eu-auditor", "auditor", List.of("eu-west", "eu-central"),
                lifetime));
        tokens.put("agent", sandbox.keys().token("sandbox-agent", "agent", List.of("*"), lifetime));
        tokens.put("termination-handler", sandbox.keys().token("sandbox-itn", "termination-handler", List.of("*"),
                lifetime));
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            Files.writeString(keys.resolve(token.getKey() + ".jwt"), token.getValue());
        }
        return keys.toAbsolutePath().resolve("<role>.jwt");
    }

    /** A crashed child stays in the view as EXITED; it is also said once, plainly, where a script will see it. */
    private void reportCrashes(Sandbox sandbox) {
        for (ServiceProcess service : sandbox.services()) {
            if (!service.isAlive() && reportedCrashes.add(service.name())) {
                System.err.println("sandbox: " + service.status());
            }
        }
    }

    private <T> T step(String what, Callable<T> action) throws Exception {
        Instant start = Instant.now();
        out.printf("starting %-55s", what + " …");
        out.flush();
        T result = action.call();
        out.printf(" %.1f s%n", secondsSince(start));
        return result;
    }

    private static double secondsSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    static final class EmissionConverter implements CommandLine.ITypeConverter<Emission.Kind> {
        @Override
        public Emission.Kind convert(String value) {
            try {
                return Emission.Kind.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase();
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration like 120s, 5m or 1h");
            };
        }
    }
}
