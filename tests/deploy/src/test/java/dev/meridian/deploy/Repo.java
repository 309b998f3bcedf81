package dev.meridian.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the repository is, and the paths of deploy/ the tests read. */
final class Repo {

    /** Surefire passes the repository root; the fallback serves an IDE whose working directory is the module. */
    static final Path ROOT = Path.of(System.getProperty("meridian.root", "../..")).toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path OVERLAYS = DEPLOY.resolve("overlays");

    /** The five services, by their directory under services/ and deploy/services/. */
    static final List<String> SERVICES = List.of("metrics-ingest", "scheduler", "scaler", "cost", "audit");

    private Repo() {
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The region overlays: every directory under deploy/overlays. */
    static List<Path> overlays() {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The identity model's configuration, which every service with an API reads below its own file. */
    static final Path IDENTITY_PROPERTIES = ROOT.resolve(
            "libs/service-support/src/main/resources/META-INF/microprofile-config.properties");

    /** True for a service that verifies callers' tokens (it has the smallrye-jwt extension). */
    static boolean servesApi(String service) {
        try {
            return Files.readString(ROOT.resolve("services").resolve(service).resolve("pom.xml"))
                    .contains("<artifactId>quarkus-smallrye-jwt</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path serviceProperties(String service) {
        return ROOT.resolve("services").resolve(service).resolve("src/main/resources/application.properties");
    }

    static Path deployProperties(String service) {
        return DEPLOY.resolve("services").resolve(service).resolve("application.properties");
    }
}
