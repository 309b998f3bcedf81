package dev.meridian.registry.config;

import dev.meridian.contracts.json.ContractJson;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies Debezium change events of the registry topics, in topic order, to the rows FleetConfig holds; not
 * thread-safe (one consumer thread owns it).
 *
 * <p>Rows are kept by their Kafka key, the primary key as JSON, so a tombstone (all that is left of a deleted
 * row once compaction folded the delete event away) removes the same row the delete event would have.
 *
 * <p>An insert or update carries its actor (the login, {@code changed_by}) and the name the client declared
 * ({@code declared_by}) in its own row image. Deletes and truncates do not: the row image is the one before the
 * change. The registry's triggers log every statement to {@code config.change_log} in the same transaction, and that
 * table's events arrive on their own topic in no particular order relative to this one. So such a change
 * waits here until the change-log event of its transaction names the actor (and the declared name), or until the
 * attribution timeout, after which it is reported as {@link FleetChange#UNATTRIBUTED} (triggers disabled, log pruned).
 * The view itself applies the change at once; only the notification waits.
 */
final class ChangeApplier {

    private static final System.Logger LOG = System.getLogger(ChangeApplier.class.getName());
    static final String CHANGE_LOG_TABLE = "change_log";
    /** Transactions remembered for attribution; far more than can be in flight between two topics. */
    private static final int REMEMBERED_TRANSACTIONS = 10_000;

    private final Duration attributionTimeout;
    private final Map<ConfigTable, Map<String, Object>> rows = new EnumMap<>(ConfigTable.class);
    private final Map<String, Attribution> actors = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Attribution> eldest) {
            return size() > REMEMBERED_TRANSACTIONS;
        }
    };
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(String attributionKey, long parkedAtNanos, List<FleetChange<Object>> changes) {
    }

    /** What a change-log entry says of its statement: the login, and the name the client declared. */
    private record Attribution(String actor, Optional<String> declaredActor) {
    }

    ChangeApplier(Duration attributionTimeout) {
        this.attributionTimeout = attributionTimeout;
        for (ConfigTable table : ConfigTable.values()) {
            rows.put(table, new LinkedHashMap<>());
        }
    }

    /**
     * Applies one record of table {@code tableName}'s topic.
     *
     * @return the changes that can be reported now (possibly earlier ones this record attributed)
     */
    List<FleetChange<?>> apply(String tableName, byte[] key, byte[] value, long nowNanos) {
        if (CHANGE_LOG_TABLE.equals(tableName)) {
            return value == null ? List.of() : attribute(value);
        }
        Optional<ConfigTable> table = table(tableName);
        if (table.isEmpty()) {
            return List.of();
        }
        Map<String, Object> tableRows = rows.get(table.get());
        String rowKey = key == null ? null : canonicalKey(key);
        if (value == null) {
            if (rowKey != null) {
                tableRows.remove(rowKey);
            }
            return List.of();
        }
        JsonNode envelope;
        try {
            envelope = ContractJson.mapper().readTree(value);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "dropping row " + rowKey + " of " + tableName + ": the event is not JSON", e);
            if (rowKey != null) {
                tableRows.remove(rowKey);
            }
            return List.of();
        }
        JsonNode source = envelope.path("source");
        long txId = source.path("txId").asLong(-1);
        Instant committedAt = Instant.ofEpochMilli(source.path("ts_ms").asLong(envelope.path("ts_ms").asLong()));
        String op = envelope.path("op").asText("");
        return switch (op) {
            case "r", "c", "u" -> upsert(table.get(), tableRows, rowKey, envelope, op, txId, committedAt);
            case "d" -> delete(table.get(), tableRows, rowKey, envelope, txId, committedAt, nowNanos);
            case "t" -> truncate(table.get(), tableRows, txId, committedAt, nowNanos);
            default -> List.of();
        };
    }

    private List<FleetChange<?>> upsert(ConfigTable table, Map<String, Object> tableRows, String rowKey,
            JsonNode envelope, String op, long txId, Instant committedAt) {
        Optional<Object> before = Optional.ofNullable(tableRows.get(rowKey));
        Object after;
        try {
            after = RowDecoder.decode(table, envelope.path("after"));
        } catch (RuntimeException e) {
            // Keeping the previous version would apply a configuration the registry no longer has.
            LOG.log(Level.WARNING, "dropping row " + rowKey + " of " + table.tableName() + ": cannot read it", e);
            tableRows.remove(rowKey);
            return List.of();
        }
        tableRows.put(rowKey, after);
        if (!op.equals("r")) {
            // The event's own before-image, not the view's: they differ only if the view missed something.
            before = decodeQuietly(table, envelope.path("before"));
        }
        ChangeOp changeOp = switch (op) {
            case "r" -> ChangeOp.SNAPSHOT;
            case "c" -> ChangeOp.INSERT;
            default -> ChangeOp.UPDATE;
        };
        String actor = RowDecoder.text(envelope.path("after"), "changed_by");
        Optional<String> declaredActor = RowDecoder.declared(envelope.path("after"), "declared_by");
        return List.of(new FleetChange<>(table, changeOp, before, Optional.of(after), actor, declaredActor,
                committedAt, txId));
    }

    private List<FleetChange<?>> delete(ConfigTable table, Map<String, Object> tableRows, String rowKey,
            JsonNode envelope, long txId, Instant committedAt, long nowNanos) {
        Object removed = rowKey == null ? null : tableRows.remove(rowKey);
        Optional<Object> before = decodeQuietly(table, envelope.path("before")).or(() -> Optional.ofNullable(removed));
        FleetChange<Object> change = new FleetChange<>(table, ChangeOp.DELETE, before, Optional.empty(),
                FleetChange.UNATTRIBUTED, Optional.empty(), committedAt, txId);
        return attributeOrPark(attributionKey(txId, table.tableName(), "DELETE"), List.of(change), nowNanos);
    }

    private List<FleetChange<?>> truncate(ConfigTable table, Map<String, Object> tableRows, long txId,
            Instant committedAt, long nowNanos) {
        List<FleetChange<Object>> changes = new ArrayList<>();
        for (Object row : tableRows.values()) {
            changes.add(new FleetChange<>(table, ChangeOp.TRUNCATE, Optional.of(row), Optional.empty(),
                    FleetChange.UNATTRIBUTED, Optional.empty(), committedAt, txId));
        }
        tableRows.clear();
        return changes.isEmpty() ? List.of()
                : attributeOrPark(attributionKey(txId, table.tableName(), "TRUNCATE"), changes, nowNanos);
    }

    private List<FleetChange<?>> attributeOrPark(String attributionKey, List<FleetChange<Object>> changes,
            long nowNanos) {
        Attribution attribution = actors.get(attributionKey);
        if (attribution != null) {
            return attributed(changes, attribution);
        }
        pending.add(new Pending(attributionKey, nowNanos, changes));
        return List.of();
    }

    private List<FleetChange<?>> attribute(byte[] value) {
        RowDecoder.ChangeLogEntry entry;
        long txId;
        try {
            JsonNode envelope = ContractJson.mapper().readTree(value);
            JsonNode after = envelope.path("after");
            if (after.isMissingNode() || after.isNull()) {
                return List.of();
            }
            entry = RowDecoder.changeLog(after);
            txId = envelope.path("source").path("txId").asLong(-1);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring an unreadable change-log event", e);
            return List.of();
        }
        String key = attributionKey(txId, entry.tableName(), entry.operation());
        Attribution attribution = new Attribution(entry.actor(), entry.declaredActor());
        actors.put(key, attribution);
        List<FleetChange<?>> released = new ArrayList<>();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending parked = it.next();
            if (parked.attributionKey().equals(key)) {
                released.addAll(attributed(parked.changes(), attribution));
                it.remove();
            }
        }
        return released;
    }

    /** Changes whose change-log entry has not come within the timeout, reported without an actor. */
    List<FleetChange<?>> expire(long nowNanos) {
        List<FleetChange<?>> expired = new ArrayList<>();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending parked = it.next();
            if (nowNanos - parked.parkedAtNanos() >= attributionTimeout.toNanos()) {
                LOG.log(Level.WARNING, "no change-log entry for " + parked.attributionKey() + " within "
                        + attributionTimeout + "; reporting it as " + FleetChange.UNATTRIBUTED);
                expired.addAll(parked.changes());
                it.remove();
            }
        }
        return expired;
    }

    int pendingCount() {
        return pending.size();
    }

    FleetSnapshot snapshot() {
        return FleetSnapshot.of(typed(ConfigTable.REGIONS, Region.class),
                typed(ConfigTable.REGION_ALLOW_LIST, AllowListEntry.class),
                typed(ConfigTable.NODE_POOLS, NodePool.class), typed(ConfigTable.PRICES, Price.class),
                typed(ConfigTable.BUDGETS, Budget.class), typed(ConfigTable.POLICY_OVERRIDES, PolicyOverride.class));
    }

    private <T> List<T> typed(ConfigTable table, Class<T> type) {
        return rows.get(table).values().stream().map(type::cast).toList();
    }

    private static List<FleetChange<?>> attributed(List<FleetChange<Object>> changes, Attribution attribution) {
        List<FleetChange<?>> attributed = new ArrayList<>(changes.size());
        for (FleetChange<Object> change : changes) {
            attributed.add(new FleetChange<>(change.table(), change.op(), change.before(), change.after(),
                    attribution.actor(), attribution.declaredActor(), change.committedAt(), change.transactionId()));
        }
        return attributed;
    }

    private static Optional<Object> decodeQuietly(ConfigTable table, JsonNode row) {
        if (row == null || row.isMissingNode() || row.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RowDecoder.decode(table, row));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String attributionKey(long txId, String table, String operation) {
        return txId + "|" + table + "|" + operation;
    }

    private static String canonicalKey(byte[] key) {
        try {
            return ContractJson.mapper().readTree(key).toString();
        } catch (IOException e) {
            return new String(key, StandardCharsets.UTF_8);
        }
    }

    static Optional<ConfigTable> table(String tableName) {
        for (ConfigTable table : ConfigTable.values()) {
            if (table.tableName().equals(tableName)) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }
}
