package dev.meridian.sandbox;

import dev.meridian.testkit.quarkus.LocalHttps;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Meridian service as a child JVM: its own log file, fixed ports (the API's and the management interface's, where
 * its health and metrics are), and a crash that is reported, not hidden.
 */
final class ServiceProcess implements AutoCloseable {


    private final String name;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Process process;
    private final String scheme;
    private final HttpClient http;

    private ServiceProcess(String name, int port, int managementPort, Path log, Process process, String scheme,
            HttpClient http) {
        this.http = http;
        this.scheme = scheme;
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the packaged runner of {@code spec} with its properties as {@code -D} flags and its environment; with
     * {@code https} both ports serve the prod profile's HTTPS (TLS 1.3, the sandbox's certificate), else plain HTTP.
     */
    static ServiceProcess start(ServiceSpec spec, Path dir, boolean https) throws IOException {
        if (!Files.isRegularFile(spec.runnerJar())) {
            throw new IllegalStateException(spec.name() + " is not built (" + spec.runnerJar()
                    + "); run ./meridian sandbox again, or ./mvnw -B -DskipTests install");
        }
        requireFreePort(spec.name(), spec.port());
        requireFreePort(spec.name() + "'s management interface", spec.managementPort());
        Path log = dir.resolve(spec.name() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-Dquarkus.http.port=" + spec.port(),
                "-Dquarkus.management.port=" + spec.managementPort(),
                "-Dquarkus.log.console.json.enabled=false"));
        // By default the sandbox keeps to plain HTTP, as its README's curl lines do; --secure keeps the prod profile's
        // HTTPS.
        if (!https) {
            command.addAll(LocalHttps.plainHttpFlags());
        }
        spec.properties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(spec.runnerJar().toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(LocalHttps.environment(dir));
        builder.environment().putAll(spec.environment());
        // Readiness over HTTPS verifies the service against the sandbox's CA, as any client would.
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (https) {
            client.sslContext(LocalHttps.sslContext(dir));
        }
        return new ServiceProcess(spec.name(), spec.port(), spec.managementPort(), log, builder.start(),
                https ? "https" : "http", client.build());
    }

    /**
     * Starts every spec at once (a JVM start is mostly waiting, so this is faster than one by one on two cores), each
     * stopped with {@code stack}, then waits for each to be ready, one step per service.
     */
    static List<ServiceProcess> startAll(List<ServiceSpec> specs, Path dir, Duration readyTimeout, Sandbox.Steps steps,
            StopStack stack, boolean https) throws Exception {
        List<ServiceProcess> started = new ArrayList<>();
        for (ServiceSpec spec : specs) {
            started.add(stack.push(start(spec, dir, https)));
        }
        for (ServiceProcess process : started) {
            steps.step(process.name() + " (child JVM, port " + process.port() + ", health and metrics on "
                    + process.managementPort() + ")", () -> {
                process.awaitReady(readyTimeout);
                return null;
            });
        }
        return started;
    }

    private static void requireFreePort(String name, int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + name + " is taken: stop whatever uses it, "
                    + "or an earlier sandbox", e);
        }
    }

    /**
     * Waits until {@code /q/health/ready} on the management port answers 200; fails at once, naming the log, if the
     * process exits.
     */
    void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        URI readiness = URI.create(scheme + "://localhost:" + managementPort + "/q/health/ready");
        HttpRequest ready = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(status());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Still booting: the port opens only once Quarkus has started.
            }
            process.waitFor(250, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s (see " + log + ")");
    }

    /** "scheduler on :8082", or why it is not running. */
    String status() {
        if (process.isAlive()) {
            return name + " on :" + port;
        }
        return name + " EXITED with code " + process.exitValue() + " (see " + log + ")";
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** The management interface's port: {@code /q/health}, {@code /q/metrics}. */
    int managementPort() {
        return managementPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * What to start: a runner jar, its fixed API and management ports, {@code -D} properties and environment
     * variables.
     */
    record ServiceSpec(String name, Path runnerJar, int port, int managementPort, Map<String, String> properties,
            Map<String, String> environment) {
        ServiceSpec {
            properties = Map.copyOf(properties);
            environment = Map.copyOf(environment);
        }
    }
}
