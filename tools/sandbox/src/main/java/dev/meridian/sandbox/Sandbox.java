package dev.meridian.sandbox;

import dev.meridian.registry.cdc.RegistryConnector;
import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.Region;
import dev.meridian.registry.schema.RegistrySchema;
import dev.meridian.sandbox.ServiceProcess.ServiceSpec;
import dev.meridian.testkit.connect.ConnectWorker;
import dev.meridian.testkit.kafka.KafkaCluster;
import dev.meridian.testkit.kafka.KafkaUserAcls;
import dev.meridian.testkit.postgres.PostgresServer;
import dev.meridian.testkit.quarkus.LocalHttps;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The whole system on loopback, as one object: Kafka with every catalog topic, PostgreSQL with the registry migrated
 * and seeded, Kafka Connect with the Debezium registry connector, and the five services as child JVMs serving every
 * region of the registry. {@code ./meridian sandbox} and the end-to-end test both start it through here.
 */
final class Sandbox implements AutoCloseable {

    /** Reports each startup step: what, then how long it took. */
    interface Steps {
        <T> T step(String what, Callable<T> action) throws Exception;

        Steps SILENT = new Steps() {
            @Override
            public <T> T step(String what, Callable<T> action) throws Exception {
                return action.call();
            }
        };
    }

    /**
     * @param fresh whether to throw away the data a previous run kept in {@code dir} (Kafka's log, PostgreSQL's
     *     cluster, the services' Streams state, Connect's offsets) and start from empty servers
     * @param secure production's transport security: the services log in to Kafka as their own KafkaUsers over
     *     SASL_SSL (SCRAM-SHA-512, TLS 1.3) on a broker enforcing deploy/'s ACLs, serve HTTPS only (TLS 1.3), and audit
     *     and Debezium reach a TLS-only PostgreSQL with {@code sslmode=verify-full}
     */
    record Options(Path dir, Path repository, int basePort, boolean services, Duration serviceReadyTimeout,
            boolean fresh, boolean secure) {
        Options(Path dir, Path repository, int basePort, boolean services, Duration serviceReadyTimeout,
                boolean fresh) {
            this(dir, repository, basePort, services, serviceReadyTimeout, fresh, false);
        }
    }

    private final StopStack running = new StopStack();
    private final List<ServiceProcess> services = new ArrayList<>();
    private KafkaCluster kafka;
    private PostgresServer postgres;
    private FleetConfig fleet;
    private AuditKeys keys;
    private int basePort;
    private boolean secure;
    private HttpClient http;

    private Sandbox() {
    }

    static Sandbox start(Options options, Steps steps) throws Exception {
        Sandbox sandbox = new Sandbox();
        try {
            sandbox.startAll(options, steps);
            return sandbox;
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    private void startAll(Options options, Steps steps) throws Exception {
        Path dir = Files.createDirectories(options.dir());
        basePort = options.basePort();
        secure = options.secure();
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (secure) {
            client.sslContext(LocalHttps.sslContext(dir));
        }
        http = client.build();
        KeptData data = KeptData.in(dir);
        boolean kept = !options.fresh() && data.complete();
        if (!kept) {
            data.delete();
        }
        String from = kept ? "kept data" : "empty";
        KafkaCluster.Builder kafkaBuilder = KafkaCluster.builder().name("sandbox").storage(data.kafka())
                .createCatalogTopics(true);
        if (secure) {
            kafkaBuilder.acls(KafkaUserAcls.read(options.repository().resolve(KafkaUserAcls.DEPLOY_USERS)));
        }
        kafka = steps.step("Kafka (KRaft, 1 broker, catalog topics, " + from
                + (secure ? "; SASL_SSL with deploy/'s KafkaUsers and ACLs" : "") + ")", kafkaBuilder::start);
        running.push(kafka);
        postgres = steps.step("PostgreSQL with logical decoding (" + from + (secure ? ", TLS 1.3 only" : "") + ")",
                () -> PostgresServer.builder().dataDirectory(data.postgres()).tls(secure).start());
        running.push(postgres);
        steps.step("registry schema and seed", () -> {
            RegistrySchema.migrate(postgres.dataSource(), true);
            return null;
        });
        stopWithSandbox(startConnect(steps, kafka.bootstrapServers(), postgres, data.connectOffsets(), false));
        fleet = stopWithSandbox(startFleetView(steps, kafka.bootstrapServers(), dir));
        keys = AuditKeys.in(dir);
        if (options.services()) {
            List<String> regions = fleet.current().regions().stream().map(Region::name).toList();
            List<ServiceSpec> specs = SandboxServices.specs(options.repository(), basePort,
                    kafka.bootstrapServers(), regions, postgres, keys, data.streamsState());
            if (secure) {
                specs = specs.stream().map(this::loggedIn).toList();
            }
            services.addAll(ServiceProcess.startAll(specs, dir, options.serviceReadyTimeout(), steps, running, secure));
        }
    }

    /**
     * Kafka Connect with the Debezium registry connector capturing {@code postgres} into the cluster at
     * {@code bootstrapServers}. With {@code dropSlot} false the replication slot outlives the worker, so a worker
     * started later on the same offsets file resumes where this one stopped.
     */
    static ConnectWorker startConnect(Steps steps, String bootstrapServers, PostgresServer postgres, Path offsets,
            boolean dropSlot) throws Exception {
        return steps.step("Kafka Connect with the Debezium registry connector", () -> {
            ConnectWorker worker = ConnectWorker.builder(bootstrapServers).offsetsFile(offsets).start();
            try {
                RegistryConnector.Builder connector = RegistryConnector.builder()
                        .database(postgres.host(), postgres.port(), "postgres")
                        .credentials(postgres.username(), postgres.password())
                        .dropSlotOnStop(dropSlot);
                if (postgres.hasTls()) {
                    connector.verifiedTls(postgres.tlsRootCertificate().toString());
                }
                worker.putConnector(RegistryConnector.NAME, connector.build());
                worker.awaitRunning(RegistryConnector.NAME, Duration.ofSeconds(60));
                return worker;
            } catch (Exception | Error e) {
                worker.close();
                throw e;
            }
        });
    }

    /** A FleetConfig view of {@code meridian.fleet.config.*} on the cluster, once it holds regions and pools. */
    static FleetConfig startFleetView(Steps steps, String bootstrapServers, Path dir) throws Exception {
        return steps.step("FleetConfig view from meridian.fleet.config.*", () -> {
            FleetConfig view = FleetConfig.builder(bootstrapServers).clientId("sandbox-view").start();
            // Caught up with topics that may still be empty: the services need the snapshot's regions themselves.
            Instant deadline = Instant.now().plusSeconds(60);
            while (view.current().regions().isEmpty() || view.current().pools().isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    view.close();
                    throw new IllegalStateException("the registry did not reach Kafka within 60 s (see "
                            + dir.resolve("sandbox.log") + ")");
                }
                Thread.sleep(100);
            }
            return view;
        });
    }

    KafkaCluster kafka() {
        return kafka;
    }

    PostgresServer postgres() {
        return postgres;
    }

    FleetConfig fleet() {
        return fleet;
    }

    AuditKeys keys() {
        return keys;
    }

    List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /**
     * {@code spec} logged in to Kafka as its own KafkaUser ({@code meridian-<service>}, a fresh password each start)
     * on the SASL_SSL listener: every {@code kafka.*} and {@code kafka-streams.*} setting deploy/ gives it, with this
     * run's CA. They travel as {@code -D} flags, visible to this machine's users: a local sandbox only.
     */
    private ServiceSpec loggedIn(ServiceSpec spec) {
        Map<String, String> properties = new LinkedHashMap<>(spec.properties());
        kafka.kafkaUser("meridian-" + spec.name()).forEach((key, value) -> {
            properties.put("kafka." + key, String.valueOf(value));
            properties.put("kafka-streams." + key, String.valueOf(value));
        });
        properties.put("quarkus.kafka-streams.bootstrap-servers", kafka.secureBootstrapServers());
        return new ServiceSpec(spec.name(), spec.runnerJar(), spec.port(), spec.managementPort(), properties,
                spec.environment());
    }

    /** A client for the services' APIs: it trusts the sandbox's CA when {@link #secure()}. */
    HttpClient http() {
        return http;
    }

    /** Whether the sandbox runs with production's transport security ({@link Options#secure()}). */
    boolean secure() {
        return secure;
    }

    /** The URI of {@code path} on the named service's API: HTTPS when {@link #secure()}. */
    URI uri(String service, String path) {
        return URI.create((secure ? "https" : "http") + "://localhost:" + port(service) + path);
    }

    /** The port of the named service, as documented: base port + its place in {@link SandboxServices#NAMES}. */
    int port(String service) {
        int index = SandboxServices.NAMES.indexOf(service);
        if (index < 0) {
            throw new IllegalArgumentException("no service " + service);
        }
        return basePort + index;
    }

    /** Adds something to stop with the sandbox, before everything started so far. */
    <T extends AutoCloseable> T stopWithSandbox(T closeable) {
        return running.push(closeable);
    }

    @Override
    public void close() {
        running.close();
    }
}
