package dev.meridian.testkit.connect;

import dev.meridian.testkit.internal.Startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A Kafka Connect worker in standalone mode, in this JVM: connectors such as Debezium run here against any
 * Kafka cluster, with source offsets kept in a local file.
 *
 * <p>Standalone mode forgets connector configurations when it stops (a distributed worker would keep them
 * in its config topic). This class remembers every configuration put through it and registers them again
 * on {@link #start()}, so a stop/start behaves like a distributed worker's restart: connectors resume from
 * the offsets file.
 */
public final class ConnectWorker implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final System.Logger LOG = System.getLogger(ConnectWorker.class.getName());

    private final Map<String, String> workerProperties;
    private final Path offsetsFile;
    private final boolean ownsOffsetsDirectory;
    private final Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
    private Connect<StandaloneHerder> connect;

    private ConnectWorker(Map<String, String> workerProperties, Path offsetsFile, boolean ownsOffsetsDirectory) {
        this.workerProperties = Map.copyOf(workerProperties);
        this.offsetsFile = offsetsFile;
        this.ownsOffsetsDirectory = ownsOffsetsDirectory;
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Starts the worker and registers again every connector put before; returns once the herder runs. */
    public synchronized ConnectWorker start() {
        if (connect != null) {
            throw new IllegalStateException("Connect worker already running");
        }
        long started = System.nanoTime();
        connect = Startup.run("Kafka Connect worker", () -> new ConnectStandalone().startConnect(workerProperties));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        URI url = connect.rest().serverUrl();
        LOG.log(System.Logger.Level.INFO, () -> "Kafka Connect worker started at " + url + " in " + elapsed + " ms");
        for (var entry : connectors.entrySet()) {
            submit(entry.getKey(), entry.getValue());
        }
        return this;
    }

    public synchronized boolean isRunning() {
        return connect != null;
    }

    /** The REST address of the worker (ephemeral port on 127.0.0.1). */
    public synchronized URI restUrl() {
        return running().rest().serverUrl();
    }

    public Path offsetsFile() {
        return offsetsFile;
    }

    /**
     * Creates or replaces a connector. The config gets {@code name} if it lacks it (Connect otherwise fails
     * with a misleading NullPointerException). Returns once the worker accepted the config; use
     * {@link #awaitRunning} to wait for its tasks.
     */
    public synchronized void putConnector(String name, Map<String, String> config) {
        Map<String, String> withName = new LinkedHashMap<>(config);
        withName.put("name", name);
        submit(name, withName);
        connectors.put(name, Map.copyOf(withName));
    }

    private void submit(String name, Map<String, String> config) {
        FutureCallback<Herder.Created<ConnectorInfo>> callback = new FutureCallback<>();
        running().herder().putConnectorConfig(name, config, true, callback);
        await(callback, "put connector " + name);
    }

    public synchronized void deleteConnector(String name) {
        FutureCallback<Herder.Created<ConnectorInfo>> callback = new FutureCallback<>();
        running().herder().deleteConnectorConfig(name, callback);
        await(callback, "delete connector " + name);
        connectors.remove(name);
    }

    /** Current status of the connector and its tasks, or null if the worker does not know it (yet). */
    public synchronized ConnectorStateInfo status(String name) {
        try {
            return running().herder().connectorStatus(name);
        } catch (NotFoundException e) {
            return null;
        }
    }

    /**
     * Waits until the connector and at least one task, and every task, are RUNNING. Fails fast with the
     * worker's trace if the connector or a task FAILED.
     */
    public void awaitRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ConnectorStateInfo last = null;
        while (System.nanoTime() < deadline) {
            last = status(name);
            if (last != null) {
                failIfFailed(name, last);
                if (isRunning(last)) {
                    return;
                }
            }
            pause();
        }
        throw new IllegalStateException("connector " + name + " not RUNNING after " + timeout + ": " + describe(last));
    }

    static boolean isRunning(ConnectorStateInfo info) {
        return "RUNNING".equals(info.connector().state())
                && !info.tasks().isEmpty()
                && info.tasks().stream().allMatch(task -> "RUNNING".equals(task.state()));
    }

    private static void failIfFailed(String name, ConnectorStateInfo info) {
        if ("FAILED".equals(info.connector().state())) {
            throw new IllegalStateException("connector " + name + " FAILED: " + info.connector().trace());
        }
        info.tasks().stream()
                .filter(task -> "FAILED".equals(task.state()))
                .findFirst()
                .ifPresent(task -> {
                    throw new IllegalStateException("connector " + name + " task " + task.id() + " FAILED: " + task.trace());
                });
    }

    static String describe(ConnectorStateInfo info) {
        if (info == null) {
            return "unknown";
        }
        List<String> tasks = info.tasks().stream().map(task -> task.id() + "=" + task.state()).toList();
        return "connector=" + info.connector().state() + " tasks=" + tasks;
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the worker; source tasks commit their offsets to the file first. Connector configs are kept for {@link #start()}. */
    public synchronized void stop() {
        if (connect == null) {
            return;
        }
        try {
            connect.stop();
            connect.awaitStop();
        } finally {
            connect = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (ownsOffsetsDirectory) {
            try {
                Files.deleteIfExists(offsetsFile);
                Files.deleteIfExists(offsetsFile.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete " + offsetsFile, e);
            }
        }
    }

    private Connect<StandaloneHerder> running() {
        if (connect == null) {
            throw new IllegalStateException("Connect worker is not running");
        }
        return connect;
    }

    private static <T> T await(FutureCallback<T> callback, String what) {
        try {
            return callback.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("failed: " + what, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after " + REQUEST_TIMEOUT + ": " + what, e);
        }
    }

    public static final class Builder {
        private final String bootstrapServers;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Path offsetsFile;

        private Builder(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        }

        /** Where source offsets live; give the same file to a later worker to resume. Default: a temp file. */
        public Builder offsetsFile(Path file) {
            this.offsetsFile = file;
            return this;
        }

        /** Any worker property; overrides the defaults below. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Builds the worker without starting it. */
        public ConnectWorker build() {
            boolean owns = offsetsFile == null;
            Path file = offsetsFile;
            if (owns) {
                try {
                    file = Files.createTempDirectory("meridian-connect").resolve("offsets.dat");
                } catch (IOException e) {
                    throw new UncheckedIOException("could not create a directory for Connect offsets", e);
                }
            }
            Map<String, String> props = new LinkedHashMap<>();
            props.put("bootstrap.servers", bootstrapServers);
            props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            // Consumers read plain JSON documents, not the schema-plus-payload envelope.
            props.put("key.converter.schemas.enable", "false");
            props.put("value.converter.schemas.enable", "false");
            props.put("offset.storage.file.filename", file.toString());
            props.put("offset.flush.interval.ms", "1000");
            // Ephemeral port: several workers (one per region) may run in one JVM.
            props.put("listeners", "http://127.0.0.1:0");
            // Connectors are on the class path; the other discovery modes scan it for 2–5 s.
            props.put("plugin.discovery", "service_load");
            props.putAll(properties);
            return new ConnectWorker(props, file, owns);
        }

        public ConnectWorker start() {
            return build().start();
        }
    }
}
