package dev.meridian.sandbox;

import dev.meridian.testkit.kafka.KafkaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a sandbox run leaves in its directory for the next one: Kafka's log, PostgreSQL's cluster, the services'
 * Kafka Streams state and Connect's source offsets. They only make sense together (Connect's offsets point into
 * this PostgreSQL's log, Streams checkpoints into this Kafka's changelogs), so they are kept or dropped as one.
 * Keys and logs are not part of it.
 */
record KeptData(Path kafka, Path postgres, Path streamsState, Path connectOffsets) {

    static KeptData in(Path dir) {
        return new KeptData(dir.resolve("kafka"), dir.resolve("postgres"), dir.resolve("state"),
                dir.resolve("connect.offsets"));
    }

    /** Whether a previous run left both servers' data (formatted Kafka storage, an initialised PostgreSQL). */
    boolean complete() {
        return KafkaCluster.isFormatted(kafka) && Files.exists(postgres.resolve("PG_VERSION"));
    }

    void delete() {
        for (Path path : List.of(kafka, postgres, streamsState, connectOffsets)) {
            deleteRecursively(path);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
