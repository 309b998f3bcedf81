package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Each overlay's region and zone are the registry seed's; one overlay per seed region; the registry lives in one. */
class RegionsTest {

    private static final Pattern REGIONS_INSERT = Pattern.compile(
            "INSERT INTO regions \\(name, zone, display_name\\) VALUES(.*?);", Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("\\(\\s*'([^']+)',\\s*'([^']+)',\\s*'[^']*'\\s*\\)");

    /** region → zone, from every seed migration of libs/registry (a new region comes as a new one). */
    static Map<String, String> seedRegions() {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Repo.ROOT.resolve("libs/registry/src/main/resources/db/seed"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                Matcher insert = REGIONS_INSERT.matcher(Repo.read(file));
                while (insert.find()) {
                    Matcher row = ROW.matcher(insert.group(1));
                    while (row.find()) {
                        regions.put(row.group(1), row.group(2));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(regions).as("the seed inserts regions").isNotEmpty();
        return regions;
    }

    @Test
    void theSeedHasTheFiveRegionsOfTheBrief() {
        assertThat(seedRegions()).containsExactlyInAnyOrderEntriesOf(Map.of("us-east", "US", "us-west", "US",
                "eu-west", "EU", "eu-central", "EU", "ap-southeast", "APAC"));
    }

    @Test
    void everyOverlaysRegionAndZoneExistInTheSeed() {
        Map<String, String> seed = seedRegions();
        for (Overlay overlay : Overlay.all()) {
            assertThat(seed).as(overlay.directoryName()).containsEntry(overlay.region(), overlay.zone());
            assertThat(overlay.directoryName()).isEqualTo(overlay.region());
            assertThat(seed).as(overlay.directoryName() + " registry home").containsKey(overlay.registryHomeRegion());
            JsonLabels labels = JsonLabels.of(overlay);
            assertThat(labels.region()).isEqualTo(overlay.region());
            assertThat(labels.zone()).isEqualTo(overlay.zone());
        }
    }

    @Test
    void thereIsOneOverlayPerSeedRegion() {
        assertThat(Overlay.all().stream().map(Overlay::region).collect(Collectors.toSet()))
                .isEqualTo(seedRegions().keySet());
    }

    @Test
    void theRegistryHomeRunsConnectAndEveryOtherRegionTheReplica() {
        assertThat(Overlay.all().stream().map(Overlay::registryHomeRegion).distinct()).singleElement();
        for (Overlay overlay : Overlay.all()) {
            boolean home = overlay.region().equals(overlay.registryHomeRegion());
            assertThat(overlay.components()).as(overlay.directoryName())
                    .contains(Repo.DEPLOY.resolve(home ? "registry" : "components/registry-replica"))
                    .doesNotContain(Repo.DEPLOY.resolve(home ? "components/registry-replica" : "registry"));
        }
    }

    /** The overlay's common labels. */
    record JsonLabels(String region, String zone) {
        static JsonLabels of(Overlay overlay) {
            var pairs = overlay.kustomization().path("labels").get(0).path("pairs");
            return new JsonLabels(pairs.path("meridian.dev/region").asText(), pairs.path("meridian.dev/zone").asText());
        }
    }
}
