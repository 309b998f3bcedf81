package dev.meridian.ingest.streams;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * An in-memory, changelogged key-value store whose writes reach the changelog once per commit and key: a put or
 * delete waits as an object and is serialized and logged when the task prepares its next commit. A value that changes
 * on every record (an open window) then costs one changelog record per commit interval, not one per record, and no
 * serialization at all in between.
 *
 * <p>Kafka Streams' record cache does the same for the changelog, but serializes the key and value of every put and
 * keeps an LRU over the bytes; on the node windows that was most of the cost of a sample after parsing.
 *
 * <p>The hook is the one the record cache uses: before every commit — the interval, one a processor requests, a
 * rebalance, a shutdown — the task flushes the caches of its stores ({@link CachedStateStore#flushCache()}), then its
 * producer, then commits the transaction with the input offsets. What is pending is therefore in the same transaction
 * as the offsets of the records that changed it; what a crash loses was never committed, and is processed again.
 * {@link CachedStateStore} is Kafka Streams' internal interface (the version is the BOM's, fixed);
 * {@code CommitBufferedStoreIT} fails if a future version stopped calling it.
 *
 * <p>A record logged at the commit carries the timestamp of the task's record context then (its last record or
 * punctuation), not that of the write; the changelog is compacted by key and restored by key, so nothing reads it.
 *
 * <p>Reads go to the owner's own objects: {@link #all()} serves only to load them when the task starts, when nothing
 * is pending. Owned by the task's thread, so not thread-safe.
 */
final class CommitBufferedStore<V> implements StateStore, CachedStateStore<String, V> {

    private final KeyValueStore<String, V> logged;
    /** key → the value to write at commit, or null for a delete. */
    private final Map<String, V> pending = new HashMap<>();

    private CommitBufferedStore(KeyValueStore<String, V> logged) {
        this.logged = logged;
    }

    /** A store named {@code name}, changelogged with the topology's defaults, values written with {@code values}. */
    static <V> StoreBuilder<CommitBufferedStore<V>> builder(String name, Serde<V> values) {
        return new Builder<>(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withCachingDisabled());
    }

    void put(String key, V value) {
        pending.put(key, Objects.requireNonNull(value, "value"));
    }

    void delete(String key) {
        pending.put(key, null);
    }

    /** Every entry as committed: what the task restored, read when it starts, before anything is pending. */
    Map<String, V> all() {
        Map<String, V> entries = new HashMap<>();
        try (KeyValueIterator<String, V> it = logged.all()) {
            it.forEachRemaining(entry -> entries.put(entry.key, entry.value));
        }
        return entries;
    }

    @Override
    public void flushCache() {
        pending.forEach((key, value) -> {
            if (value == null) {
                logged.delete(key);
            } else {
                logged.put(key, value);
            }
        });
        pending.clear();
    }

    /** Kafka Streams drops caches with the state they buffered: the task restores from the changelog instead. */
    @Override
    public void clearCache() {
        pending.clear();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return logged.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pending.clear();
        logged.init(context, root);
    }

    /** Called after a commit (a checkpoint), when the pending writes are already logged. */
    @Override
    public void flush() {
        logged.flush();
    }

    @Override
    public void close() {
        pending.clear();
        logged.close();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return logged.isOpen();
    }

    @Override
    public Position getPosition() {
        return logged.getPosition();
    }

    /** Changelog settings are the inner store's: the topology creates the changelog topic from them. */
    private static final class Builder<V> implements StoreBuilder<CommitBufferedStore<V>> {

        private final StoreBuilder<KeyValueStore<String, V>> inner;

        Builder(StoreBuilder<KeyValueStore<String, V>> inner) {
            this.inner = inner;
        }

        @Override
        public StoreBuilder<CommitBufferedStore<V>> withCachingEnabled() {
            throw new UnsupportedOperationException("a commit-buffered store is its own cache");
        }

        @Override
        public StoreBuilder<CommitBufferedStore<V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitBufferedStore<V>> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<CommitBufferedStore<V>> withLoggingDisabled() {
            throw new UnsupportedOperationException("a commit-buffered store exists to write its changelog");
        }

        @Override
        public CommitBufferedStore<V> build() {
            return new CommitBufferedStore<>(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
