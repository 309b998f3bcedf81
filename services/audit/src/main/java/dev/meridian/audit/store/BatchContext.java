package dev.meridian.audit.store;

/**
 * What every way of storing a batch writes through: the writer's settings, the log topic, the connections, the
 * offset store, the ledger carried from batch to batch, and the vault that seals payloads on their way in.
 */
record BatchContext(StoreWriter.Settings settings, String topic, WriterConnections connections,
        StoredOffsets offsets, BatchLedger ledger, PayloadVault vault) {
}
