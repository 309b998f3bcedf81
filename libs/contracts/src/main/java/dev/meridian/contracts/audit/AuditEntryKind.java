package dev.meridian.contracts.audit;

/** An entry of a region's audit chain: an operation, or the hourly signed digest that anchors the chain. */
public enum AuditEntryKind {
    RECORD, DIGEST
}
