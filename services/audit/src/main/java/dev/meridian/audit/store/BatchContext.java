package dev.meridian.audit.store;

/**
 * What every way of storing a batch writes through: the writer's settings, the log topic, the connections, the
 * offset store and the ledger carried from batch to batch.
 */
record BatchContext(StoreWriter.Settings settings, String topic, WriterConnections connections,
        StoredOffsets offsets, BatchLedger ledger) {
}
