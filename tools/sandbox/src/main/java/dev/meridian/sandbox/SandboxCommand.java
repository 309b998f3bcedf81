package dev.meridian.sandbox;

import dev.meridian.registry.cdc.RegistryConnector;
import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.schema.RegistrySchema;
import dev.meridian.testkit.connect.ConnectWorker;
import dev.meridian.testkit.kafka.KafkaCluster;
import dev.meridian.testkit.postgres.PostgresServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./meridian sandbox}: the whole system on loopback. Today it runs Kafka with every catalog topic, PostgreSQL
 * with the registry migrated and seeded, and Kafka Connect with the Debezium registry connector, and shows the
 * fleet configuration as the services will see it; services join it as they land.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Run Meridian locally: Kafka, PostgreSQL with the registry, Kafka Connect with Debezium.")
public final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--dir", description = "Working directory for logs and state (default: ${DEFAULT-VALUE}).",
            defaultValue = ".sandbox")
    Path dir;

    @Option(names = "--duration", description = "Run this long, print a summary and exit 0 (e.g. 120s, 5m).",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--no-services", description = "Start only the servers, not the Meridian services.")
    boolean noServices;

    @Option(names = "--no-load", description = "Do not generate synthetic node samples.")
    boolean noLoad;

    @Option(names = "--ingest-port", description = "HTTP port of metrics-ingest (default: ${DEFAULT-VALUE}).",
            defaultValue = "8081")
    int ingestPort;

    @Option(names = "--refresh", description = "Live view refresh period (default: ${DEFAULT-VALUE}).",
            defaultValue = "1s", converter = DurationConverter.class)
    Duration refresh;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SandboxCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        Instant started = Instant.now();
        Deque<AutoCloseable> running = new ArrayDeque<>();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C: ask the main loop to stop, then hold the JVM until every server is closed (temp dirs removed).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sandbox-stop"));
        try {
            KafkaCluster kafka = step("Kafka (KRaft, 1 broker, catalog topics)",
                    () -> KafkaCluster.builder().name("sandbox").createCatalogTopics(true).start());
            running.push(kafka);
            PostgresServer postgres = step("PostgreSQL with logical decoding", PostgresServer::startDefault);
            running.push(postgres);
            step("registry schema and seed", () -> RegistrySchema.migrate(postgres.dataSource(), true));
            ConnectWorker connect = step("Kafka Connect with the Debezium registry connector", () -> {
                // Kafka and PostgreSQL start empty on every run, so Connect's offsets must too.
                Path offsets = dir.resolve("connect.offsets");
                Files.deleteIfExists(offsets);
                ConnectWorker worker = ConnectWorker.builder(kafka.bootstrapServers()).offsetsFile(offsets).start();
                worker.putConnector(RegistryConnector.NAME, RegistryConnector.builder()
                        .database(postgres.host(), postgres.port(), "postgres")
                        .credentials(postgres.username(), postgres.password())
                        .dropSlotOnStop(true)
                        .build());
                worker.awaitRunning(RegistryConnector.NAME, Duration.ofSeconds(60));
                return worker;
            });
            running.push(connect);
            FleetConfig fleet = step("FleetConfig view from meridian.fleet.config.*",
                    () -> FleetConfig.builder(kafka.bootstrapServers()).clientId("sandbox-view").start());
            running.push(fleet);

            List<ServiceProcess> services = new ArrayList<>();
            if (!noServices) {
                ServiceProcess ingest = step("metrics-ingest (child JVM, port " + ingestPort + ")",
                        () -> ServiceProcess.start("metrics-ingest",
                                Path.of("services/metrics-ingest/target/quarkus-app/quarkus-run.jar"), ingestPort,
                                kafka.bootstrapServers(), dir));
                running.push(ingest);
                services.add(ingest);
            }
            SyntheticLoad load = null;
            if (!noLoad) {
                load = step("synthetic node samples (every pool at its minimum size)",
                        () -> new SyntheticLoad(kafka.bootstrapServers(), fleet::current));
                running.push(load);
            }

            out.printf("%nready in %.1f s — Kafka %s, PostgreSQL %s%n", secondsSince(started),
                    kafka.bootstrapServers(), postgres.jdbcUrl());
            out.println("logs: " + dir.toAbsolutePath() + "/*.log; Ctrl-C stops everything");

            LiveView view = new LiveView(out, fleet, kafka, services);
            running.push(view);
            Instant until = duration == null ? Instant.MAX : Instant.now().plus(duration);
            while (Instant.now().isBefore(until) && !stop.await(refresh.toMillis(), TimeUnit.MILLISECONDS)) {
                view.render();
            }
            view.render();
            out.printf("%nsummary: ran %.0f s; %s%n", secondsSince(started), view.summary());
            return 0;
        } finally {
            while (!running.isEmpty()) {
                closeQuietly(running.pop());
            }
            stopped.countDown();
        }
    }

    private <T> T step(String what, StepAction<T> action) throws Exception {
        Instant start = Instant.now();
        out.printf("starting %-55s", what + " …");
        out.flush();
        T result = action.run();
        out.printf(" %.1f s%n", secondsSince(start));
        return result;
    }

    private static double secondsSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    private void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            out.println("while stopping " + closeable + ": " + e);
        }
    }

    @FunctionalInterface
    private interface StepAction<T> {
        T run() throws Exception;
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
