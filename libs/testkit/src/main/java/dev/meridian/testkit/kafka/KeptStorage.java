package dev.meridian.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft node's storage that outlives the process: the directory, the cluster id the storage was formatted with
 * (a restarted node must present the same one), and whether formatting already happened. The mark is written only
 * after a successful format, so a start interrupted while formatting formats again.
 */
record KeptStorage(Path directory, String clusterId) {

    private static final String CLUSTER_ID_FILE = "cluster.id";
    private static final String FORMATTED_MARK = "formatted";

    static KeptStorage in(Path directory) {
        try {
            Path absolute = Files.createDirectories(directory).toAbsolutePath();
            Path idFile = absolute.resolve(CLUSTER_ID_FILE);
            if (!Files.exists(idFile)) {
                Files.writeString(idFile, Uuid.randomUuid().toString());
            }
            return new KeptStorage(absolute, Files.readString(idFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare Kafka storage in " + directory, e);
        }
    }

    boolean formatted() {
        return isFormatted(directory);
    }

    /** Whether {@code directory} holds a formatted node; only looks, never creates anything. */
    static boolean isFormatted(Path directory) {
        return Files.exists(directory.resolve(FORMATTED_MARK));
    }

    void markFormatted() {
        try {
            Files.writeString(directory.resolve(FORMATTED_MARK), clusterId);
        } catch (IOException e) {
            throw new UncheckedIOException("could not mark " + directory + " formatted", e);
        }
    }
}
