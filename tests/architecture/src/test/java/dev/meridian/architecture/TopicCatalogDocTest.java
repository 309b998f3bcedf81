package dev.meridian.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/architecture.md's topic table must say what the catalog says, row by row. */
class TopicCatalogDocTest {

    private static final Path DOC = Path.of(System.getProperty("meridian.root", "../..")).resolve("docs/architecture.md");

    @Test
    void documentListsExactlyTheCatalogsTopics() throws IOException {
        Map<String, List<String>> documented = documentedRows();

        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(
                TopicCatalog.all().stream().map(TopicSpec::name).toList());
    }

    @Test
    void everyDocumentedRowMatchesItsCatalogEntry() throws IOException {
        Map<String, List<String>> documented = documentedRows();

        for (TopicSpec spec : TopicCatalog.all()) {
            assertThat(documented.get(spec.name())).as(spec.name()).containsExactly(
                    spec.key(),
                    spec.value(),
                    Integer.toString(spec.partitions()),
                    spec.cleanup().kafkaValue(),
                    human(spec.retention()),
                    human(spec.minCompactionLag()),
                    spec.crossesRegions() ? "yes" : "no");
        }
    }

    /** Rows of the form {@code | `meridian.x.v1` | key | value | partitions | cleanup | retention | lag | mirrored |}. */
    private static Map<String, List<String>> documentedRows() throws IOException {
        return Files.readAllLines(DOC).stream()
                .filter(line -> line.startsWith("| `meridian."))
                .map(line -> Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|"))
                        .map(String::trim).toList())
                .collect(Collectors.toMap(cells -> cells.get(0).replace("`", ""), cells -> cells.subList(1, cells.size()),
                        (a, b) -> {
                            throw new AssertionError("topic documented twice: " + a);
                        }));
    }

    private static String human(Optional<Duration> duration) {
        return duration.map(humanDuration()).orElse("—");
    }

    private static Function<Duration, String> humanDuration() {
        return d -> d.toHours() <= 24 ? d.toHours() + " h" : d.toDays() + " d";
    }
}
