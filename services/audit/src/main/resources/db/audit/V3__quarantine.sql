-- Records of meridian.audit.log.v1 the store refused: kept as they were on the log, with why, so nothing is lost and
-- one bad record never stops the writer. A refused entry that has a place in a chain is replaced there by a
-- placeholder row (action audit.quarantined) carrying the entry's place and hashes and, in its payload, the id of its
-- row here: verification re-hashes the original from raw, so the chain stays continuous and checkable.
CREATE TABLE quarantine (
    id             bigserial   PRIMARY KEY,
    log_topic      text        NOT NULL,
    log_partition  integer     NOT NULL,
    log_offset     bigint      NOT NULL,
    raw            bytea,
    kind           text        NOT NULL,
    reason         text        NOT NULL,
    region         text,
    sequence       bigint,
    quarantined_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (log_topic, log_partition, log_offset)
);
