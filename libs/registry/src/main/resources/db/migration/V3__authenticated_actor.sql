-- The actor of a registry change is the login PostgreSQL authenticated: session_user. SET ROLE changes current_user,
-- not session_user, and inside a SECURITY DEFINER function current_user is the function's owner while session_user is
-- still the login; so neither changes the actor. What a client says about itself (the meridian.actor setting,
-- application_name) is anybody's to write: it is kept beside the actor as the declared name, a detail, never as the
-- actor. Consumers read the actor from changed_by (inserts, updates) or change_log.actor (deletes, truncates) and the
-- declared name from declared_by or change_log.declared_actor.

CREATE OR REPLACE FUNCTION current_actor() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT session_user::text
$$;

-- The name the client declares: the meridian.actor setting (tools set it per transaction with SET LOCAL), else
-- application_name; NULL when neither is set. Untrusted text: at most 128 characters, control characters
-- (U+0001..U+001F, U+007F..U+009F: newlines, escapes) replaced by spaces, so it cannot forge lines in logs and exports.
-- NULLIF because a custom setting reads as '' (not NULL) once a SET LOCAL of it has ended in this session.
CREATE FUNCTION declared_actor() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT nullif(btrim(regexp_replace(
               left(coalesce(nullif(current_setting('meridian.actor', true), ''),
                             nullif(current_setting('application_name', true), '')), 128),
               E'[\\x01-\\x1f\\x7f-\\x9f]', ' ', 'g')), '')
$$;

-- Row images carry the declared name beside changed_by, stamped by the same trigger, so an insert's or update's own
-- event has both; NULL on rows written before this migration.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['regions', 'region_allow_list', 'node_pools', 'prices', 'budgets', 'policy_overrides']
    LOOP
        EXECUTE format('ALTER TABLE config.%I ADD COLUMN declared_by text', t);
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION stamp_actor() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.changed_by := config.current_actor();
    NEW.declared_by := config.declared_actor();
    NEW.changed_at := now();
    RETURN NEW;
END
$$;

-- The change log names the actor of a transaction's deletes and truncates, so whoever may insert into it must not be
-- able to name one: every row written to it, by the statement trigger or by hand, is stamped here with the
-- transaction, login, declared name and time of the statement that wrote it, whatever the statement said.
ALTER TABLE change_log ADD COLUMN declared_actor text;

CREATE FUNCTION stamp_change_log() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.transaction_id := txid_current() % 4294967296;
    NEW.actor := config.current_actor();
    NEW.declared_actor := config.declared_actor();
    NEW.application_name := nullif(current_setting('application_name', true), '');
    NEW.session_user_name := session_user;
    NEW.logged_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER change_log_stamp BEFORE INSERT OR UPDATE ON change_log
    FOR EACH ROW EXECUTE FUNCTION stamp_change_log();
