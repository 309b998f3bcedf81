package dev.meridian.registry.config;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.topic.Mirrors;
import dev.meridian.contracts.topic.TopicCatalog;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The registry as every service sees it: a read-only, always-current, typed view built only from the
 * {@code meridian.fleet.config.*} topics (never from PostgreSQL, which lives in one home region), with a plain
 * Kafka consumer on a thread of its own.
 *
 * <p>It reads every topic from the beginning on each start, without a consumer group: the topics are
 * compacted and small, and each instance needs all of them. {@link #isCaughtUp()} turns true once it has read
 * up to the end offsets it saw when it started (and every topic exists): that is the readiness signal.
 *
 * <p>Where the topics are: in the registry's home region they are {@code meridian.fleet.config.<table>}, in every
 * other region MirrorMaker's copies {@code <source alias>.meridian.fleet.config.<table>}. Both are found by pattern,
 * so a service runs unchanged on one cluster or in any region: a table counts as present once either exists, and
 * every matching topic is read. The registry is captured in one region only, so a table has one source; were a
 * second one to appear, its rows would be applied too, in no defined order between the two.
 *
 * <p>Listeners run on the consumer thread after the change is visible in {@link #current()}; a slow listener
 * delays the view, so hand heavy work off.
 */
public final class FleetConfig implements FleetView, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FleetConfig.class.getName());

    private final List<Consumer<FleetChange<?>>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile FleetSnapshot current = FleetSnapshot.EMPTY;
    private final Follower follower;

    private FleetConfig(Builder builder) {
        this.follower = new Follower(builder);
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
    }

    @Override
    public FleetSnapshot current() {
        return current;
    }

    public Set<String> servingRegions(String clientRegion) {
        return current.servingRegions(clientRegion);
    }

    public boolean mayServe(String clientRegion, String servingRegion) {
        return current.mayServe(clientRegion, servingRegion);
    }

    public List<Region> regionsIn(Zone zone) {
        return current.regionsIn(zone);
    }

    public Optional<NodePool> pool(String region, String name) {
        return current.pool(region, name);
    }

    public Optional<Price> price(String region, String instanceType, CapacityType capacityType, Instant at) {
        return current.price(region, instanceType, capacityType, at);
    }

    public Optional<Budget> budget(String scope) {
        return current.budget(scope);
    }

    public Optional<PolicyOverride> policyOverride(String region, String pool) {
        return current.policyOverride(region, pool);
    }

    /** Never goes back to false. */
    @Override
    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Receives every change of every table; the returned handle removes the listener. */
    public AutoCloseable addListener(Consumer<FleetChange<?>> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Receives the changes of the table whose rows are {@code rowType}, e.g. {@code Price.class}. */
    public <T> AutoCloseable addListener(Class<T> rowType, Consumer<FleetChange<T>> listener) {
        Objects.requireNonNull(listener, "listener");
        return addListener(change -> change.as(rowType).ifPresent(listener));
    }

    @Override
    public void close() {
        follower.stop();
    }

    /** Makes the changes visible, then tells the listeners; a failing listener does not stop the others. */
    private void publish(FleetSnapshot snapshot, List<FleetChange<?>> changes) {
        current = snapshot;
        for (FleetChange<?> change : changes) {
            for (Consumer<FleetChange<?>> listener : listeners) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a FleetConfig listener failed on " + change, e);
                }
            }
        }
    }

    /** Reads the topics on its own thread and feeds the applier. */
    private final class Follower implements Runnable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        /** The topics found so far, each with its table. */
        private final Map<String, String> tableByTopic = new LinkedHashMap<>();
        private final Pattern topics;
        private final ChangeApplier applier;
        private final Duration pollTimeout;
        private final Thread thread;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final Set<String> presentTables = new HashSet<>();
        private final Map<TopicPartition, Long> startEndOffsets = new HashMap<>();
        private volatile boolean running = true;
        private long nextTopicCheckNanos;

        Follower(Builder builder) {
            this.topics = builder.topicPattern();
            this.applier = new ChangeApplier(builder.attributionTimeout);
            this.pollTimeout = builder.pollTimeout;
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, builder.clientId);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.putAll(builder.consumerProperties);
            this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.thread = new Thread(this, builder.clientId);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    try {
                        step();
                    } catch (WakeupException e) {
                        // close() woke us.
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "FleetConfig could not read the registry topics; retrying", e);
                        pause(Duration.ofSeconds(1));
                    }
                }
            } finally {
                consumer.close(Duration.ofSeconds(5));
                stopped.countDown();
            }
        }

        private void step() {
            long now = System.nanoTime();
            // Mirrors of a table may appear after its local topic (or the other way round): keep looking.
            if (now - nextTopicCheckNanos >= 0) {
                discoverTopics();
                nextTopicCheckNanos = now + TimeUnit.SECONDS.toNanos(1);
            }
            if (consumer.assignment().isEmpty()) {
                pause(pollTimeout);
                return;
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
            List<FleetChange<?>> changes = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                changes.addAll(applier.apply(tableByTopic.get(record.topic()), record.key(), record.value(),
                        System.nanoTime()));
            }
            changes.addAll(applier.expire(System.nanoTime()));
            if (!records.isEmpty() || !changes.isEmpty()) {
                publish(applier.snapshot(), changes);
            }
            if (!isCaughtUp() && reachedStartEndOffsets()) {
                caughtUp.countDown();
                LOG.log(Level.INFO, "FleetConfig caught up: " + current);
            }
        }

        /**
         * Topics may appear late (the connector creates them on first write, MirrorMaker on first copy); each is
         * read from its start.
         */
        private void discoverTopics() {
            Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(10));
            List<TopicPartition> added = new ArrayList<>();
            for (Map.Entry<String, List<PartitionInfo>> topic : existing.entrySet()) {
                Matcher matcher = topics.matcher(topic.getKey());
                List<PartitionInfo> partitions = topic.getValue();
                if (matcher.matches() && !tableByTopic.containsKey(topic.getKey()) && partitions != null
                        && !partitions.isEmpty()) {
                    tableByTopic.put(topic.getKey(), matcher.group(TABLE_GROUP));
                    presentTables.add(matcher.group(TABLE_GROUP));
                    partitions.forEach(p -> added.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            if (added.isEmpty()) {
                return;
            }
            Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
            assignment.addAll(added);
            consumer.assign(assignment);
            consumer.seekToBeginning(added);
            startEndOffsets.putAll(consumer.endOffsets(added, Duration.ofSeconds(10)));
        }

        private boolean reachedStartEndOffsets() {
            if (presentTables.size() < TopicCatalog.FLEET_CONFIG_TABLES.size()) {
                return false;
            }
            for (Map.Entry<TopicPartition, Long> end : startEndOffsets.entrySet()) {
                if (consumer.position(end.getKey(), Duration.ofSeconds(10)) < end.getValue()) {
                    return false;
                }
            }
            return true;
        }

        private void pause(Duration duration) {
            try {
                stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }

        void stop() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final String TABLE_GROUP = "table";

    public static final class Builder {
        private final String bootstrapServers;
        /** Null: the local topics and every mirror of them. */
        private String topicPrefix;
        private String clientId = "meridian-fleet-config";
        private Duration attributionTimeout = Duration.ofSeconds(5);
        private Duration pollTimeout = Duration.ofMillis(100);
        private final Map<String, Object> consumerProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /**
         * Reads only the topics {@code <prefix><table>}, e.g. {@code us-east.meridian.fleet.config.} for the mirrors
         * of one region. By default the local {@code meridian.fleet.config.<table>} and every mirror
         * {@code <alias>.meridian.fleet.config.<table>} are read, whichever exist.
         */
        public Builder topicPrefix(String prefix) {
            this.topicPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** The topics to read; the named group {@code table} is the registry table. */
        Pattern topicPattern() {
            String tables = TopicCatalog.FLEET_CONFIG_TABLES.stream().map(Pattern::quote)
                    .collect(Collectors.joining("|"));
            String prefix = topicPrefix != null ? Pattern.quote(topicPrefix)
                    : Mirrors.ofPrefix(TopicCatalog.FLEET_CONFIG_PREFIX);
            return Pattern.compile(prefix + "(?<" + TABLE_GROUP + ">" + tables + ")");
        }

        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        /** How long a delete or truncate waits for its change-log entry before it is reported unattributed. */
        public Builder attributionTimeout(Duration timeout) {
            this.attributionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Any consumer property (security settings, for instance); group and offset settings are ignored. */
        public Builder consumerProperty(String key, Object value) {
            consumerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** Starts following the topics; call {@link FleetConfig#awaitCaughtUp} before trusting the view. */
        public FleetConfig start() {
            consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
            consumerProperties.remove(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
            return new FleetConfig(this);
        }
    }
}
