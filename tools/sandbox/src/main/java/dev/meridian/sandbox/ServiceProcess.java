package dev.meridian.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One Meridian service as a child JVM: its own log file, a fixed port, and a crash that is reported, not hidden. */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static ServiceProcess start(String name, Path runnerJar, int port, String bootstrapServers, Path dir)
            throws IOException {
        if (!Files.isRegularFile(runnerJar)) {
            throw new IllegalStateException(name + " is not built (" + runnerJar + "); run ./meridian sandbox again");
        }
        requireFreePort(name, port);
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dkafka.bootstrap.servers=" + bootstrapServers,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.log.console.json.enabled=false",
                "-Dkafka-streams.state.dir=" + dir.resolve(name + "-state").toAbsolutePath(),
                "-jar", runnerJar.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServiceProcess(name, port, log, process);
    }

    private static void requireFreePort(String name, int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + name + " is taken: stop whatever uses it, "
                    + "or an earlier sandbox", e);
        }
    }

    /** "running on :8081", or why it is not. */
    String status() {
        if (process.isAlive()) {
            return name + " on :" + port;
        }
        return name + " EXITED with code " + process.exitValue() + " (see " + log + ")";
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
}
