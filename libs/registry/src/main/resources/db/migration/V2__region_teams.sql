-- Region teams: operations staff change only the rows of their regions, also with plain SQL (only the APAC team
-- may manage ap-southeast's pools). A login is in a region's team when it is a member of the role
-- registry_region_<region with '-' as '_'> (e.g. registry_region_ap_southeast); members of registry_admin change
-- every region. The DBA creates these roles and grants them the table rights; the migration only names them, so it
-- needs no CREATEROLE. Reading stays open to whoever may SELECT (Debezium reads every row); the table owner (Flyway,
-- the seed) is not bound by row-level security.

CREATE FUNCTION may_change(region text) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_roles r
        WHERE r.rolname IN ('registry_admin', 'registry_region_' || replace(region, '-', '_'))
          AND pg_has_role(session_user, r.oid, 'MEMBER'))
$$;

-- Region-keyed tables: every change is checked on the row before (USING) and after (WITH CHECK), so a row can
-- neither be changed in another region nor moved into one. A budget without a region (global, tag) is the admin's.
DO $$
DECLARE
    target record;
BEGIN
    FOR target IN SELECT * FROM (VALUES ('node_pools', 'region'), ('prices', 'region'),
                                        ('policy_overrides', 'region'), ('region_allow_list', 'client_region'),
                                        ('budgets', 'region')) AS t(name, region_column)
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', target.name);
        EXECUTE format('CREATE POLICY readable ON %I FOR SELECT USING (true)', target.name);
        EXECUTE format('CREATE POLICY team_inserts ON %I FOR INSERT WITH CHECK (may_change(%I))',
                       target.name, target.region_column);
        EXECUTE format('CREATE POLICY team_updates ON %I FOR UPDATE USING (may_change(%I)) WITH CHECK (may_change(%I))',
                       target.name, target.region_column, target.region_column);
        EXECUTE format('CREATE POLICY team_deletes ON %I FOR DELETE USING (may_change(%I))',
                       target.name, target.region_column);
    END LOOP;
END
$$;
