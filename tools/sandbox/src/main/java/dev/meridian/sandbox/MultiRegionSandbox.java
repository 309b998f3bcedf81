package dev.meridian.sandbox;

import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.schema.RegistrySchema;
import dev.meridian.sandbox.SandboxServices.RegionalAudit;
import dev.meridian.sandbox.ServiceProcess.ServiceSpec;
import dev.meridian.testkit.mirror.MultiRegionKafka;
import dev.meridian.testkit.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sandbox as production is laid out ({@code ./meridian sandbox --multi-region}): one Kafka cluster per region
 * with MirrorMaker 2 copying exactly the cross-region set between them ({@link MultiRegionKafka}, the harness
 * {@code tests/multi-region} proves), the registry captured in {@link #REGISTRY_REGION} (PostgreSQL and Connect
 * there; the other regions read its mirrored topics), and per region its own copy of Meridian as child JVMs serving
 * that region only, against that region's cluster (audit: that region's own database), fed by that region's node
 * agents. Each region's wide-area link
 * runs through a proxy, so {@link #cut(String)} is a real network partition.
 *
 * <p>Every run starts empty: the clusters are the testkit's temporary ones.
 */
final class MultiRegionSandbox implements AutoCloseable {

    /** The three regions of the multi-region harness: one in the US zone, two in the EU zone. */
    static final List<String> REGIONS = List.of("us-east", "eu-west", "eu-central");
    static final String REGISTRY_REGION = "us-east";
    /** Every service, each region its own copy; audit keeps each region's chain in that region's own database. */
    static final List<String> SERVICES = SandboxServices.NAMES;
    /** Region {@code i}'s services take ports base + 10·i + their place in {@link SandboxServices#NAMES}. */
    static final int PORTS_PER_REGION = 10;

    /** Steady GPU and CPU load of every node of a region, in percent: different, so the weights differ. */
    static final Map<String, Double> LOAD = Map.of("us-east", 50.0, "eu-west", 40.0, "eu-central", 60.0);

    record Options(Path dir, Path repository, int basePort, List<String> services, Duration serviceReadyTimeout) {
    }

    private final StopStack running = new StopStack();
    private final List<ServiceProcess> services = new ArrayList<>();
    private MultiRegionKafka kafka;
    private PostgresServer postgres;
    private FleetConfig fleet;
    private int basePort;

    private MultiRegionSandbox() {
    }

    static MultiRegionSandbox start(Options options, Sandbox.Steps steps) throws Exception {
        MultiRegionSandbox sandbox = new MultiRegionSandbox();
        try {
            sandbox.startAll(options, steps);
            return sandbox;
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    private void startAll(Options options, Sandbox.Steps steps) throws Exception {
        Path dir = Files.createDirectories(options.dir());
        basePort = options.basePort();
        kafka = steps.step("Kafka clusters " + REGIONS + " and MirrorMaker 2", () -> MultiRegionKafka.builder()
                .regions(REGIONS.toArray(String[]::new)).registryRegion(REGISTRY_REGION).start());
        running.push(kafka);
        postgres = steps.step("PostgreSQL with logical decoding", PostgresServer::startDefault);
        running.push(postgres);
        steps.step("registry schema and seed", () -> {
            RegistrySchema.migrate(postgres.dataSource(), true);
            return null;
        });
        String registryKafka = kafka.cluster(REGISTRY_REGION).bootstrapServers();
        Path offsets = dir.resolve("connect-multi-region.offsets");
        Files.deleteIfExists(offsets);
        running.push(Sandbox.startConnect(steps, registryKafka, postgres, offsets, true));
        fleet = Sandbox.startFleetView(steps, registryKafka, dir);
        running.push(fleet);

        AuditKeys keys = AuditKeys.in(dir);
        if (options.services().contains("audit")) {
            steps.step("a database per region for audit", () -> {
                REGIONS.forEach(region -> postgres.createDatabase(RegionalAudit.database(region)));
                return null;
            });
        }
        RegionalAudit audit = new RegionalAudit(postgres, keys, REGISTRY_REGION);
        Path streamsState = dir.resolve("state-multi-region");
        KeptData.deleteRecursively(streamsState);
        List<ServiceSpec> specs = new ArrayList<>();
        for (int i = 0; i < REGIONS.size(); i++) {
            String region = REGIONS.get(i);
            specs.addAll(SandboxServices.regional(options.repository(), options.services(),
                    regionBasePort(i), region, kafka.cluster(region).bootstrapServers(), streamsState, audit));
        }
        services.addAll(ServiceProcess.startAll(specs, dir, options.serviceReadyTimeout(), steps, running, false));
        for (String region : REGIONS) {
            running.push(new FleetLoad(kafka.cluster(region).bootstrapServers(), fleet::current, Map.of(),
                    LOAD.get(region), region::equals));
        }
    }

    private int regionBasePort(int regionIndex) {
        return basePort + PORTS_PER_REGION * regionIndex;
    }

    /** The port of {@code service} (one of {@link SandboxServices#NAMES}) in {@code region}. */
    int port(String region, String service) {
        return regionBasePort(REGIONS.indexOf(region)) + SandboxServices.NAMES.indexOf(service);
    }

    MultiRegionKafka kafka() {
        return kafka;
    }

    PostgresServer postgres() {
        return postgres;
    }

    FleetConfig fleet() {
        return fleet;
    }

    List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** Cuts the region's wide-area link: MirrorMaker can neither read from nor write to its cluster. */
    void cut(String region) {
        kafka.cut(region);
    }

    void restore(String region) {
        kafka.restore(region);
    }

    <T extends AutoCloseable> T stopWithSandbox(T closeable) {
        return running.push(closeable);
    }

    @Override
    public void close() {
        running.close();
    }
}
