package dev.meridian.multiregion;

import static dev.meridian.multiregion.Regions.ALL;
import static dev.meridian.multiregion.Regions.EU;
import static dev.meridian.multiregion.Regions.EU_CENTRAL;
import static dev.meridian.multiregion.Regions.EU_WEST;
import static dev.meridian.multiregion.Regions.STALENESS_TIMEOUT;
import static dev.meridian.multiregion.Regions.US_EAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.mirror.MirrorMakerRunner;
import dev.meridian.testkit.mirror.MultiRegionKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Three regions, three Kafka clusters, MirrorMaker 2 copying exactly the cross-region topics each way over
 * production's links (TLS 1.3 and SCRAM on the WAN listeners, deploy/'s ACLs, in each region one Connect worker as
 * deploy/'s MirrorMaker user: {@code MultiRegionKafka.Builder.secure}), and each region's metrics-ingest topology and
 * scheduler serving its home region, on its cluster's own plaintext door. One fleet is started for the class (it
 * takes ~20 s); each test leaves it healthy (links restored, MirrorMaker running), and each checks its own
 * preconditions, so any one of them can also run alone. The order only makes the last two see the most history.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiRegionIT {

    private static final double EPSILON = 0.05;
    private static final List<Tier> TIERS = List.of(Tier.CORE_GPU, Tier.EDGE_CPU);

    private static MultiRegionKafka kafka;
    private static SyntheticFleet fleet;
    private static final Map<String, RegionServices> SERVICES = new LinkedHashMap<>();
    private static final Map<String, WeightsLog> LOGS = new LinkedHashMap<>();

    @BeforeAll
    static void startThreeRegions() {
        long started = System.nanoTime();
        // Secure: only the WAN links change; the services and the synthetic fleet use each cluster's plaintext door.
        kafka = MultiRegionKafka.builder().regions(ALL.toArray(String[]::new))
                .registryRegion(Regions.REGISTRY_REGION).secure(true).startMirrorMaker(false).start();
        long clustersUp = System.nanoTime();
        fleet = new SyntheticFleet(kafka);
        fleet.writeRegistry();
        fleet.writeAuditRecords();
        fleet.start();
        // MirrorMaker and the three regions' services start side by side: each takes seconds, mostly waiting. Three
        // Connect workers' first rebalances, over TLS, next to the services on two cores: give them time.
        CompletableFuture<Void> mirror = CompletableFuture.runAsync(
                () -> kafka.startMirrorMaker(Duration.ofSeconds(150)));
        Map<String, CompletableFuture<RegionServices>> starting = new LinkedHashMap<>();
        for (String region : ALL) {
            starting.put(region, CompletableFuture.supplyAsync(
                    () -> RegionServices.start(region, kafka.cluster(region).bootstrapServers())));
        }
        starting.forEach((region, services) -> SERVICES.put(region, services.join()));
        mirror.join();
        long mirrorUp = System.nanoTime();
        for (String region : ALL) {
            LOGS.put(region, new WeightsLog(region, kafka.cluster(region).bootstrapServers()));
        }
        await("every region's scheduler routes").atMost(Duration.ofSeconds(120))
                .until(() -> SERVICES.values().stream().allMatch(RegionServices::schedulerReady));
        report("start: 3 clusters %d ms, services and MirrorMaker %d ms more, every scheduler ready after %d ms",
                millis(clustersUp - started), millis(mirrorUp - clustersUp), millis(System.nanoTime() - started));
    }

    @AfterAll
    static void stopEverything() {
        LOGS.values().forEach(WeightsLog::close);
        SERVICES.values().forEach(RegionServices::close);
        if (fleet != null) {
            fleet.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void everySchedulerServesEuClientsInsideTheEuAtTheWeightsTheFormulaGives() {
        await("EU and US client weights settle in all three schedulers").atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> {
                    for (WeightsLog log : pollAll()) {
                        for (String client : EU) {
                            assertServedBy(log, client, EU);
                        }
                        assertServedBy(log, US_EAST, List.of(US_EAST));
                    }
                });
        for (WeightsLog log : LOGS.values()) {
            for (String client : ALL) {
                RoutingWeights latest = log.latest(client).orElseThrow();
                for (TierTable table : latest.tiers()) {
                    assertThat(table.nodes()).as("%s's scheduler weighs only its own nodes", log.region())
                            .allMatch(node -> node.region().equals(log.region()));
                    assertThat(table.nodes()).as("node weights for %s's %s table in %s", client, table.tier(),
                            log.region()).hasSize(table.regions().stream()
                                    .anyMatch(r -> r.region().equals(log.region())) ? 2 : 0);
                }
                assertThat(latest.excluded()).as("%s: regions outside %s's zone are excluded for that reason",
                        log.region(), client).filteredOn(e -> e.scope() == ExclusionScope.REGION)
                        .allMatch(e -> e.reason() == ExclusionReason.OUTSIDE_RESIDENCY)
                        .extracting(Exclusion::target)
                        .containsOnlyElementsOf(client.equals(US_EAST) ? EU : List.of(US_EAST));
            }
        }
    }

    @Test
    @Order(2)
    void aMirrorMakerRestartLosesNoAggregateAndItsReplaysChangeNoPublishedWeight() throws Exception {
        awaitSteadyWeights();
        Map<String, Map<String, Double>> before = latestWeights();
        Instant stoppedAt = Instant.now();
        long stopStart = System.nanoTime();
        kafka.stopMirrorMaker();
        long stopped = System.nanoTime();
        // Three workers rejoin their groups and their tasks log in again over TLS.
        kafka.startMirrorMaker(Duration.ofSeconds(90));
        long running = System.nanoTime();

        // Every pool aggregate of every region reaches every other region, however often it is copied. MirrorMaker
        // copies a partition in order, so once the newest aggregates are there, so are all re-copied older ones.
        Map<String, Integer> duplicates = new TreeMap<>();
        await("every pool aggregate mirrored after the restart").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    for (String source : ALL) {
                        Map<String, Integer> written = poolWindows(source, TopicCatalog.UTILIZATION_POOL);
                        for (String target : ALL) {
                            if (!target.equals(source)) {
                                Map<String, Integer> mirrored = poolWindows(target,
                                        MirrorMakerRunner.remoteTopic(source, TopicCatalog.UTILIZATION_POOL));
                                assertThat(mirrored.keySet()).as("%s's aggregates in %s", source, target)
                                        .containsAll(written.keySet());
                                duplicates.put(source + "->" + target, mirrored.values().stream()
                                        .mapToInt(n -> n - 1).sum());
                            }
                        }
                    }
                });
        long caughtUp = System.nanoTime();
        // While MirrorMaker was away, remote aggregates may have gone stale (a restart here takes ~10 s, longer
        // than the 8 s timeout): those versions are the outage, not the replays. Every client is served by the same
        // regions as before, at the formula's weights within ε...
        awaitSteadyWeights();
        assertSameRegions(latestWeights(), before);
        List<String> duringOutage = changesSince(stoppedAt);
        // ...and stays so: a replayed aggregate applied as if new would set a region's newest window back and make
        // it stale in some scheduler. Every replay is older than what the schedulers hold, so none does.
        Instant settled = Instant.now();
        await("no region turns stale once caught up").during(STALENESS_TIMEOUT)
                .atMost(STALENESS_TIMEOUT.plusSeconds(10)).untilAsserted(() -> {
                    pollAll();
                    assertThat(staleSince(settled)).isEmpty();
                    assertSameRegions(latestWeights(), before);
                });
        report("MirrorMaker restart: stop %d ms, start to RUNNING %d ms, every aggregate mirrored %d ms later; "
                + "records copied twice per flow %s; %d versions while it was away (%s); no region stale since",
                millis(stopped - stopStart), millis(running - stopped), millis(caughtUp - running), duplicates,
                duringOutage.size(), duringOutage);
    }

    @Test
    @Order(3)
    void cuttingEuWestOffMovesEuTrafficToEuCentralWithinTheTimeoutAndItsReturnMovesItBackOnce() {
        awaitSteadyWeights();
        WeightsLog central = LOGS.get(EU_CENTRAL);
        WeightsLog west = LOGS.get(EU_WEST);

        Instant cutAt = Instant.now();
        kafka.cut(EU_WEST);
        RoutingWeights detected;
        try {
            detected = await("eu-central marks eu-west stale").atMost(STALENESS_TIMEOUT.plusSeconds(10))
                    .until(() -> firstAfter(central.poll(), cutAt, w -> staleInEveryTier(w, EU_WEST)),
                            Optional::isPresent).orElseThrow();
            Duration detection = Duration.between(cutAt, detected.computedAt());
            report("region loss: eu-central marked eu-west STALE %d ms after the cut (staleness timeout %d ms)",
                    detection.toMillis(), STALENESS_TIMEOUT.toMillis());
            assertThat(detection).as("detection").isLessThanOrEqualTo(STALENESS_TIMEOUT);

            await("EU clients are served by eu-central alone in eu-central, and by eu-west alone in eu-west")
                    .atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                        for (String client : EU) {
                            assertOnlyRegion(central.poll().latest(client).orElseThrow(), EU_CENTRAL);
                            assertOnlyRegion(west.poll().latest(client).orElseThrow(), EU_WEST);
                        }
                    });
        } finally {
            kafka.restore(EU_WEST);
        }
        Instant restoredAt = Instant.now();

        RoutingWeights recovered = await("eu-west serves EU clients again in eu-central").atMost(Duration.ofSeconds(90))
                .until(() -> firstAfter(central.poll(), restoredAt, w -> servedInEveryTier(w, EU_WEST)),
                        Optional::isPresent).orElseThrow();
        Duration recovery = Duration.between(restoredAt, recovered.computedAt());
        await("eu-central serves EU clients again in eu-west").atMost(Duration.ofSeconds(90))
                .until(() -> firstAfter(west.poll(), restoredAt, w -> servedInEveryTier(w, EU_CENTRAL)),
                        Optional::isPresent);
        Instant westRecovered = firstAfter(west, restoredAt, w -> servedInEveryTier(w, EU_CENTRAL))
                .orElseThrow().computedAt();
        report("region return: eu-central weighs eu-west again %d ms after the link came back; eu-west weighs "
                + "eu-central again after %d ms", recovery.toMillis(),
                Duration.between(restoredAt, westRecovered).toMillis());

        // The cut also kept us-east's aggregates from eu-west and eu-west's from us-east, and MirrorMaker resumes
        // each flow on its own: the watch starts once every scheduler weighs every region of every zone again.
        Instant back = await("every scheduler weighs every region again").atMost(Duration.ofSeconds(60))
                .until(() -> everyRegionBackSince(restoredAt), Optional::isPresent).orElseThrow();

        // Without oscillation: once back, eu-west is never dropped again (in either EU scheduler, for either EU
        // client), watched for longer than a staleness timeout, and the weights settle where the formula puts them.
        await("eu-west stays in").during(STALENESS_TIMEOUT)
                .atMost(STALENESS_TIMEOUT.plusSeconds(20)).untilAsserted(() -> {
                    pollAll();
                    for (WeightsLog log : List.of(central, west)) {
                        for (String client : EU) {
                            assertThat(log.versions(client)).as("%s's versions for %s since both came back",
                                    log.region(), client).filteredOn(w -> !w.computedAt().isBefore(back))
                                    .allMatch(w -> servedInEveryTier(w, EU_WEST) && servedInEveryTier(w, EU_CENTRAL));
                        }
                    }
                    assertThat(staleSince(back)).isEmpty();
                });
        awaitSteadyWeights();
    }

    @Test
    @Order(4)
    void noClusterHoldsARawSampleNodeRecordOrAuditRecordOfAnotherRegionsNode() throws Exception {
        Set<String> crossing = MultiRegionKafka.crossRegionTopics();
        for (String region : ALL) {
            Map<String, List<WireScan.StoredRecord>> topics = WireScan.scan(kafka.cluster(region));
            List<String> foreign = new ArrayList<>();
            int records = 0;
            for (List<WireScan.StoredRecord> stored : topics.values()) {
                records += stored.size();
                for (WireScan.StoredRecord record : stored) {
                    for (String other : ALL) {
                        if (!other.equals(region) && record.contains(Regions.nodeToken(other))) {
                            foreign.add(record.topic() + "-" + record.partition() + "@" + record.offset() + " names a "
                                    + other + " node");
                        }
                    }
                }
            }
            report("wire scan of %s: %d topics, %d records, %d naming another region's node", region, topics.size(),
                    records, foreign.size());
            assertThat(foreign).as("records on %s naming another region's node", region).isEmpty();

            // The scan sees what it should: the region's own node-level records and audit records...
            for (String local : List.of(TopicCatalog.METRICS_RAW, TopicCatalog.METRICS_NODE,
                    TopicCatalog.UTILIZATION_NODE, TopicCatalog.FLEET_NODES, TopicCatalog.AUDIT_LOG)) {
                assertThat(topics.get(local)).as("%s on %s", local, region)
                        .anyMatch(r -> r.contains(Regions.nodeToken(region)));
            }
            // ...and the other regions' pool aggregates, which do cross.
            for (String other : ALL) {
                if (!other.equals(region)) {
                    assertThat(topics.get(MirrorMakerRunner.remoteTopic(other, TopicCatalog.UTILIZATION_POOL)))
                            .as("%s's pool aggregates on %s", other, region).isNotEmpty();
                }
            }
            // A topic named after another region is a direct copy of one that crosses regions, or MirrorMaker's own
            // (heartbeats, and checkpoints, which deploy/'s MirrorMaker does not emit).
            for (String topic : topics.keySet()) {
                String origin = withoutRegionPrefixes(topic);
                if (!origin.equals(topic)) {
                    assertThat(crossing.contains(topic.substring(topic.indexOf('.') + 1))
                            || origin.equals("heartbeats") || origin.equals("checkpoints.internal"))
                            .as("%s on %s", topic, region).isTrue();
                }
            }
        }
    }

    @Test
    @Order(5)
    void noVersionEverGaveEuClientsWeightOnUsEastOrUsClientsWeightInTheEu() {
        int checked = 0;
        for (WeightsLog log : pollAll()) {
            for (RoutingWeights version : log.all()) {
                boolean eu = EU.contains(version.clientRegion());
                Set<String> outside = new HashSet<>(eu ? List.of(US_EAST) : EU);
                for (TierTable table : version.tiers()) {
                    assertThat(table.regions()).as("%s v%d in %s", version.clientRegion(), version.version(),
                            log.region()).extracting(RegionWeight::region).doesNotContainAnyElementsOf(outside);
                    assertThat(table.nodes()).extracting(NodeWeight::region).doesNotContainAnyElementsOf(outside);
                }
                checked++;
            }
            for (String client : ALL) {
                assertThat(log.versions(client)).as("%s versions in %s", client, log.region()).isNotEmpty();
            }
        }
        report("residency of weights: %d versions checked in 3 schedulers", checked);
    }

    // ---- helpers

    private static String withoutRegionPrefixes(String topic) {
        String rest = topic;
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String region : ALL) {
                if (rest.startsWith(region + ".")) {
                    rest = rest.substring(region.length() + 1);
                    stripped = true;
                }
            }
        }
        return rest;
    }

    /** scheduler:client:tier:region → weight, of every scheduler's latest version. */
    private static Map<String, Map<String, Double>> latestWeights() {
        Map<String, Map<String, Double>> weights = new TreeMap<>();
        for (WeightsLog log : pollAll()) {
            for (String client : ALL) {
                RoutingWeights latest = log.latest(client).orElseThrow();
                for (TierTable table : latest.tiers()) {
                    Map<String, Double> regions = new TreeMap<>();
                    table.regions().forEach(r -> regions.put(r.region(), r.weight()));
                    weights.put(log.region() + ":" + client + ":" + table.tier(), regions);
                }
            }
        }
        return weights;
    }

    /** Every scheduler serves every client's every tier from the same regions. */
    private static void assertSameRegions(Map<String, Map<String, Double>> actual,
            Map<String, Map<String, Double>> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, Map<String, Double>> table : expected.entrySet()) {
            assertThat(actual.get(table.getKey()).keySet()).as(table.getKey())
                    .isEqualTo(table.getValue().keySet());
        }
    }

    /** REGION-scope STALE exclusions in versions computed at or after {@code since}, in any scheduler. */
    private static List<String> staleSince(Instant since) {
        List<String> stale = new ArrayList<>();
        for (WeightsLog log : LOGS.values()) {
            for (RoutingWeights w : log.all()) {
                if (w.computedAt().isBefore(since)) {
                    continue;
                }
                w.excluded().stream().filter(e -> e.scope() == ExclusionScope.REGION
                        && e.reason() == ExclusionReason.STALE).forEach(e -> stale.add(log.region() + ":"
                                + w.clientRegion() + " v" + w.version() + " " + e.target() + "/" + e.tier()));
            }
        }
        return stale;
    }

    /**
     * When the last of every scheduler's clients had every region back since {@code since}: each client's first
     * version since then without a STALE region (or {@code since} itself, if its newest version misses none and
     * nothing new came out); empty while some client still misses a region.
     */
    private static Optional<Instant> everyRegionBackSince(Instant since) {
        Instant last = since;
        for (WeightsLog log : pollAll()) {
            for (String client : ALL) {
                List<RoutingWeights> versions = log.versions(client);
                Optional<Instant> back = versions.stream().filter(w -> !w.computedAt().isBefore(since))
                        .filter(w -> !missesARegion(w)).map(RoutingWeights::computedAt).findFirst();
                if (back.isEmpty() && !versions.isEmpty() && !missesARegion(versions.get(versions.size() - 1))) {
                    back = Optional.of(since);
                }
                if (back.isEmpty()) {
                    return Optional.empty();
                }
                last = back.get().isAfter(last) ? back.get() : last;
            }
        }
        return Optional.of(last);
    }

    private static boolean missesARegion(RoutingWeights weights) {
        return weights.excluded().stream().anyMatch(e -> e.scope() == ExclusionScope.REGION
                && e.reason() == ExclusionReason.STALE);
    }

    private static List<WeightsLog> pollAll() {
        LOGS.values().forEach(WeightsLog::poll);
        return List.copyOf(LOGS.values());
    }

    /** Every table of the latest version weighs exactly {@code regions}, at the formula's weights within ε. */
    private static void assertServedBy(WeightsLog log, String client, List<String> regions) {
        RoutingWeights latest = log.latest(client).orElseThrow(() -> new AssertionError(
                log.region() + " has published nothing for " + client));
        for (Tier tier : TIERS) {
            TierTable table = latest.table(tier).orElseThrow();
            assertThat(table.regions()).as("%s's %s regions in %s", client, tier, log.region())
                    .extracting(RegionWeight::region).containsExactlyInAnyOrderElementsOf(regions);
            for (RegionWeight region : table.regions()) {
                assertThat(region.weight()).as("%s's %s weight on %s in %s", client, tier, region.region(),
                        log.region()).isCloseTo(Regions.expectedWeight(client, region.region(), regions),
                                within(EPSILON));
            }
        }
    }

    private static void assertOnlyRegion(RoutingWeights weights, String region) {
        for (Tier tier : TIERS) {
            TierTable table = weights.table(tier).orElseThrow();
            assertThat(table.regions()).as("%s's %s table", weights.clientRegion(), tier).hasSize(1);
            assertThat(table.regions().get(0).region()).isEqualTo(region);
            assertThat(table.regions().get(0).weight()).isCloseTo(1.0, within(1e-9));
        }
    }

    private static boolean staleInEveryTier(RoutingWeights weights, String region) {
        return TIERS.stream().allMatch(tier -> weights.excluded().stream().anyMatch(e -> e.scope() == ExclusionScope.REGION
                && e.target().equals(region) && e.tier() == tier && e.reason() == ExclusionReason.STALE));
    }

    private static boolean servedInEveryTier(RoutingWeights weights, String region) {
        return TIERS.stream().allMatch(tier -> weight(weights, tier, region) > 0);
    }

    private static double weight(RoutingWeights weights, Tier tier, String region) {
        return weights.table(tier).orElseThrow().regions().stream().filter(r -> r.region().equals(region))
                .mapToDouble(RegionWeight::weight).findFirst().orElse(0);
    }

    /** The first version for any EU client, computed at or after {@code since}, that matches. */
    private static Optional<RoutingWeights> firstAfter(WeightsLog log, Instant since,
            Predicate<RoutingWeights> matches) {
        return log.all().stream().filter(w -> EU.contains(w.clientRegion()))
                .filter(w -> !w.computedAt().isBefore(since)).filter(matches).findFirst();
    }

    /** Waits until no scheduler has published anything but heartbeats for two windows. */
    private static void awaitSteadyWeights() {
        await("weights steady in every region, where the formula puts them").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> {
                    pollAll();
                    assertThat(changesSince(Instant.now().minus(Regions.WINDOW.multipliedBy(2)))).isEmpty();
                    for (WeightsLog log : LOGS.values()) {
                        for (String client : EU) {
                            assertServedBy(log, client, EU);
                        }
                        assertServedBy(log, US_EAST, List.of(US_EAST));
                    }
                });
    }

    /** Versions (not heartbeats) computed at or after {@code since}, in any region, for any client. */
    private static List<String> changesSince(Instant since) {
        List<String> changes = new ArrayList<>();
        for (WeightsLog log : LOGS.values()) {
            for (RoutingWeights w : log.all()) {
                if (!w.heartbeat() && !w.computedAt().isBefore(since)) {
                    changes.add(log.region() + ":" + w.clientRegion() + " v" + w.version());
                }
            }
        }
        return changes;
    }

    /** Pool aggregates on one of {@code region}'s topics: "region/pool@windowEnd" → how many copies. */
    private static Map<String, Integer> poolWindows(String region, String topic) throws Exception {
        Map<String, Integer> windows = new HashMap<>();
        for (WireScan.StoredRecord record : WireScan.read(kafka.cluster(region), topic)) {
            PoolUtilization pool = ContractJson.read(record.value(), PoolUtilization.class);
            windows.merge(pool.key() + "@" + pool.windowEnd(), 1, Integer::sum);
        }
        return windows;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void report(String format, Object... args) {
        System.out.println("[multi-region] " + String.format(format, args));
    }
}
