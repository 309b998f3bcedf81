-- The audit store: meridian.audit.log.v1 as rows. Flyway runs this with search_path = audit.

-- One row per chain entry, partitioned by month of the operation's time. The writer creates partitions ahead of
-- time (and on demand for a late record); retention drops whole partitions. A unique constraint of a partitioned
-- table must contain the partition key, hence (id, time): a redelivered entry has both the same.
CREATE TABLE events (
    id            text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('RECORD', 'DIGEST')),
    region        text        NOT NULL,
    sequence      bigint      NOT NULL CHECK (sequence >= 0),
    time          timestamptz NOT NULL,
    actor         text        NOT NULL,
    action        text        NOT NULL,
    resource      text        NOT NULL,
    source        text        NOT NULL,
    type          text        NOT NULL,
    payload       jsonb       NOT NULL,
    previous_hash text        NOT NULL,
    hash          text        NOT NULL,
    signature     text,
    stored_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, time)
) PARTITION BY RANGE (time);

-- Searches are newest first with the keyset (time, id): every index ends with it.
CREATE INDEX events_time ON events (time DESC, id DESC);
CREATE INDEX events_region_time ON events (region, time DESC, id DESC);
CREATE INDEX events_actor_time ON events (actor, time DESC, id DESC);
CREATE INDEX events_action_time ON events (action, time DESC, id DESC);
CREATE INDEX events_resource_time ON events (resource, time DESC, id DESC);
-- Verification walks a region's chain in order.
CREATE INDEX events_region_sequence ON events (region, sequence);

-- What retention keeps of a dropped partition, per region: its last digest and the entries after it (the tail up to
-- the month's end). Verification walks these together with audit.events, so it still starts from a trusted anchor.
CREATE TABLE anchors (
    id             text        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('RECORD', 'DIGEST')),
    region         text        NOT NULL,
    sequence       bigint      NOT NULL,
    time           timestamptz NOT NULL,
    actor          text        NOT NULL,
    action         text        NOT NULL,
    resource       text        NOT NULL,
    source         text        NOT NULL,
    type           text        NOT NULL,
    payload        jsonb       NOT NULL,
    previous_hash  text        NOT NULL,
    hash           text        NOT NULL,
    signature      text,
    from_partition text        NOT NULL,
    kept_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region, sequence)
);

-- The writer's position in meridian.audit.log.v1, committed in the same transaction as the rows it covers.
CREATE TABLE writer_offsets (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
