-- Payloads encrypted at rest (AES-256-GCM, envelope encryption). A record's payload — details, before and after images,
-- what no search needs — is stored sealed with a data key; each data key is stored here only wrapped by a
-- key-encryption key (KEK) that never enters the database. Rotating the KEK rewraps these rows, never the entries.
-- Entries stored before this migration keep their clear payload, and digests (Merkle roots, counts) stay clear:
-- exactly one of payload and payload_sealed is set.
CREATE TABLE data_keys (
    id           text        PRIMARY KEY,
    kek_id       text        NOT NULL,
    wrapped      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    rewrapped_at timestamptz
);

ALTER TABLE events ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE events ADD COLUMN payload_sealed bytea, ADD COLUMN data_key_id text;
ALTER TABLE events ADD CONSTRAINT events_payload_clear_or_sealed
    CHECK ((payload IS NULL) <> (payload_sealed IS NULL) AND (payload_sealed IS NULL) = (data_key_id IS NULL));

ALTER TABLE anchors ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE anchors ADD COLUMN payload_sealed bytea, ADD COLUMN data_key_id text;
ALTER TABLE anchors ADD CONSTRAINT anchors_payload_clear_or_sealed
    CHECK ((payload IS NULL) <> (payload_sealed IS NULL) AND (payload_sealed IS NULL) = (data_key_id IS NULL));
