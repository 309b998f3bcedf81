-- The fleet registry: the desired state of the fleet, changed by operators with any SQL tool and captured by
-- Debezium into meridian.fleet.config.<table>. Flyway runs this with search_path = config.

-- Exclusion constraints on (text =, range &&) need btree_gist's text operator class for GiST. It is a trusted
-- extension (PostgreSQL 13+), so a database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- ---------------------------------------------------------------------------------------------------------
-- Who changed what. Resolution order: the session setting meridian.actor (tools set it per transaction with
-- SET LOCAL), else application_name, else the current database user. NULLIF because a custom setting reads as ''
-- (not NULL) once a SET LOCAL of it has ended in this session.
-- ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION current_actor() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(nullif(current_setting('meridian.actor', true), ''),
                    nullif(current_setting('application_name', true), ''),
                    current_user::text)
$$;

-- Row images of inserts and updates carry their actor themselves: the trigger overwrites whatever the
-- statement wrote, so nobody can claim another actor's name through the column.
CREATE FUNCTION stamp_actor() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.changed_by := config.current_actor();
    NEW.changed_at := now();
    RETURN NEW;
END
$$;

-- A delete's before-image names the previous writer and a truncate has no rows at all, so every statement is
-- also logged here, in the same transaction. Consumers correlate by transaction id (Debezium's source.txId,
-- which is the 32-bit xid: hence the modulo).
CREATE TABLE change_log (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id   bigint      NOT NULL DEFAULT (txid_current() % 4294967296),
    table_name       text        NOT NULL,
    operation        text        NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
    actor            text        NOT NULL,
    application_name text,
    -- The login behind the statement, kept even when the actor came from a setting or SET ROLE.
    session_user_name text       NOT NULL DEFAULT session_user,
    logged_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_log_transaction ON change_log (transaction_id);

CREATE FUNCTION log_statement() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO config.change_log (table_name, operation, actor, application_name)
    VALUES (TG_TABLE_NAME, TG_OP, config.current_actor(), nullif(current_setting('application_name', true), ''));
    RETURN NULL;
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Regions and residency. The zone list is closed on purpose: a new residency zone is a legal decision that
-- code must know about (routing never crosses zones), so it takes a migration, not an INSERT.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE regions (
    name         text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)+$'),
    zone         text NOT NULL CHECK (zone IN ('US', 'EU', 'APAC')),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 128),
    changed_by   text NOT NULL DEFAULT current_actor(),
    changed_at   timestamptz NOT NULL DEFAULT now()
);

-- Exceptions to "a client region is served only by its own zone".
CREATE TABLE region_allow_list (
    client_region  text NOT NULL REFERENCES regions (name),
    serving_region text NOT NULL REFERENCES regions (name),
    reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1024),
    changed_by     text NOT NULL DEFAULT current_actor(),
    changed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_region, serving_region),
    CHECK (client_region <> serving_region)
);

-- ---------------------------------------------------------------------------------------------------------
-- Node pools. The ladder is an ordered array (smallest type first): vertical scaling moves one step up, and
-- an array keeps the whole ladder in one row image, so one change event carries it.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE node_pools (
    region         text    NOT NULL REFERENCES regions (name),
    name           text    NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
    tier           text    NOT NULL CHECK (tier IN ('CORE_GPU', 'EDGE_CPU')),
    min_size       integer NOT NULL CHECK (min_size >= 0),
    max_size       integer NOT NULL,
    warm_size      integer NOT NULL DEFAULT 0 CHECK (warm_size >= 0),
    instance_types text[]  NOT NULL,
    capacity_type  text    NOT NULL CHECK (capacity_type IN ('ON_DEMAND', 'SPOT')),
    spot_fallback  boolean NOT NULL DEFAULT false,
    criticality    text    NOT NULL CHECK (criticality IN ('CRITICAL', 'NORMAL', 'LOW')),
    tags           jsonb   NOT NULL DEFAULT '{}',
    changed_by     text    NOT NULL DEFAULT current_actor(),
    changed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region, name),
    CHECK (min_size <= max_size),
    CHECK (warm_size <= max_size),
    CHECK (max_size <= 10000),
    CHECK (cardinality(instance_types) BETWEEN 1 AND 16 AND array_position(instance_types, NULL) IS NULL),
    CHECK (jsonb_typeof(tags) = 'object'),
    -- Falling back to on-demand only means something for a pool that buys spot.
    CHECK (NOT spot_fallback OR capacity_type = 'SPOT')
);

-- ---------------------------------------------------------------------------------------------------------
-- Price catalog in $/hour. A price holds from effective_from until effective_until (open-ended when NULL);
-- periods of one (region, instance type, capacity type) never overlap, enforced by the exclusion constraint
-- rather than a trigger so two concurrent transactions cannot both slip an overlapping row in.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE prices (
    region          text          NOT NULL REFERENCES regions (name),
    instance_type   text          NOT NULL CHECK (instance_type ~ '^[a-z0-9][a-z0-9.-]{0,62}$'),
    capacity_type   text          NOT NULL CHECK (capacity_type IN ('ON_DEMAND', 'SPOT')),
    effective_from  timestamptz   NOT NULL,
    effective_until timestamptz,
    hourly_price    numeric(12,4) NOT NULL CHECK (hourly_price >= 0),
    currency        text          NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    changed_by      text          NOT NULL DEFAULT current_actor(),
    changed_at      timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (region, instance_type, capacity_type, effective_from),
    CHECK (effective_until IS NULL OR effective_until > effective_from),
    CONSTRAINT prices_no_overlap EXCLUDE USING gist (
        region WITH =, instance_type WITH =, capacity_type WITH =,
        tstzrange(effective_from, effective_until) WITH &&)
        -- Deferred, so "close the old period and open the new one" works in either statement order.
        DEFERRABLE INITIALLY DEFERRED
);

-- ---------------------------------------------------------------------------------------------------------
-- Monthly budgets. The scope key follows the contracts' BudgetStatus.scope: "global", "region:<region>",
-- "<tag key>:<tag value>" (e.g. "team:search"). It is derived from the other columns by a trigger, so an
-- operator only fills in what the budget covers.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE budgets (
    scope          text          PRIMARY KEY,
    scope_type     text          NOT NULL CHECK (scope_type IN ('GLOBAL', 'REGION', 'TAG')),
    region         text          REFERENCES regions (name),
    tag_key        text          CHECK (tag_key ~ '^[a-z][a-z0-9_-]{0,62}$' AND tag_key NOT IN ('region', 'global')),
    tag_value      text          CHECK (length(tag_value) BETWEEN 1 AND 128),
    monthly_amount numeric(14,2) NOT NULL CHECK (monthly_amount > 0),
    currency       text          NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    changed_by     text          NOT NULL DEFAULT current_actor(),
    changed_at     timestamptz   NOT NULL DEFAULT now(),
    CHECK (CASE scope_type
               WHEN 'GLOBAL' THEN region IS NULL AND tag_key IS NULL AND tag_value IS NULL
               WHEN 'REGION' THEN region IS NOT NULL AND tag_key IS NULL AND tag_value IS NULL
               WHEN 'TAG' THEN region IS NULL AND tag_key IS NOT NULL AND tag_value IS NOT NULL
           END)
);

CREATE FUNCTION derive_budget_scope() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.scope := CASE NEW.scope_type
                     WHEN 'GLOBAL' THEN 'global'
                     WHEN 'REGION' THEN 'region:' || NEW.region
                     WHEN 'TAG' THEN NEW.tag_key || ':' || NEW.tag_value
                 END;
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Per-pool policy overrides. NULL means "the policy default" (see libs/policy), so an override names only what
-- differs. Utilizations are percentages.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE policy_overrides (
    region                 text         NOT NULL,
    pool                   text         NOT NULL,
    scale_out_utilization  numeric(5,2) CHECK (scale_out_utilization > 0 AND scale_out_utilization <= 100),
    scale_in_utilization   numeric(5,2) CHECK (scale_in_utilization >= 0 AND scale_in_utilization < 100),
    target_utilization     numeric(5,2) CHECK (target_utilization > 0 AND target_utilization <= 100),
    memory_resize_utilization numeric(5,2) CHECK (memory_resize_utilization > 0 AND memory_resize_utilization <= 100),
    sustain_windows        integer      CHECK (sustain_windows BETWEEN 1 AND 360),
    stabilization_seconds  integer      CHECK (stabilization_seconds BETWEEN 0 AND 86400),
    cooldown_seconds       integer      CHECK (cooldown_seconds BETWEEN 0 AND 86400),
    changed_by             text         NOT NULL DEFAULT current_actor(),
    changed_at             timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (region, pool),
    -- An override goes with its pool.
    FOREIGN KEY (region, pool) REFERENCES node_pools (region, name) ON DELETE CASCADE,
    CHECK (scale_in_utilization IS NULL OR target_utilization IS NULL OR scale_in_utilization < target_utilization),
    CHECK (target_utilization IS NULL OR scale_out_utilization IS NULL OR target_utilization < scale_out_utilization),
    CHECK (scale_in_utilization IS NULL OR scale_out_utilization IS NULL OR scale_in_utilization < scale_out_utilization)
);

-- ---------------------------------------------------------------------------------------------------------
-- Written by Debezium's heartbeat action query. It is in the publication but not captured to a topic: its
-- only job is to put our own WAL in front of the slot, so an idle registry on a busy server still lets the
-- slot advance and never pins WAL.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE cdc_heartbeat (
    id      integer PRIMARY KEY CHECK (id = 1),
    beat_at timestamptz NOT NULL
);

-- ---------------------------------------------------------------------------------------------------------
-- Triggers, before-images and the publication, for every captured table.
-- ---------------------------------------------------------------------------------------------------------
CREATE TRIGGER budgets_scope BEFORE INSERT OR UPDATE ON budgets
    FOR EACH ROW EXECUTE FUNCTION derive_budget_scope();

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['regions', 'region_allow_list', 'node_pools', 'prices', 'budgets', 'policy_overrides']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON config.%I FOR EACH ROW EXECUTE FUNCTION config.stamp_actor()',
                       t || '_actor', t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON config.%I FOR EACH STATEMENT EXECUTE FUNCTION config.log_statement()',
                       t || '_log', t);
        EXECUTE format('ALTER TABLE config.%I REPLICA IDENTITY FULL', t);
    END LOOP;
END
$$;

ALTER TABLE change_log REPLICA IDENTITY FULL;
ALTER TABLE cdc_heartbeat REPLICA IDENTITY FULL;

-- Owned by the schema, not created by Debezium, so the connector's user needs no ownership of the tables and
-- the captured set changes only through a migration.
CREATE PUBLICATION meridian_fleet_config FOR TABLE
    regions, region_allow_list, node_pools, prices, budgets, policy_overrides, change_log, cdc_heartbeat;
