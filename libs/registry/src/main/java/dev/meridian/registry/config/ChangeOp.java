package dev.meridian.registry.config;

/** What happened to a row. SNAPSHOT rows were read by the connector's initial snapshot, not changed. */
public enum ChangeOp {
    SNAPSHOT, INSERT, UPDATE, DELETE, TRUNCATE
}
