-- Sandbox and test fleet: five regions in three residency zones, a GPU core pool and a CPU edge pool per region
-- (plus a spot batch pool in us-east), on-demand and spot prices for every type of every ladder, a global
-- budget, per-region budgets and one team budget. Applied by RegistrySchema.migrate(dataSource, true), with its
-- own history table, so production can run the schema without it.

-- Flyway runs each migration in one transaction: the seed is attributed to itself, not to the JDBC driver.
SET LOCAL meridian.actor = 'meridian-seed';

INSERT INTO regions (name, zone, display_name) VALUES
    ('us-east',      'US',   'US East (N. Virginia)'),
    ('us-west',      'US',   'US West (Oregon)'),
    ('eu-west',      'EU',   'EU West (Ireland)'),
    ('eu-central',   'EU',   'EU Central (Frankfurt)'),
    ('ap-southeast', 'APAC', 'Asia Pacific (Singapore)');

INSERT INTO node_pools (region, name, tier, min_size, max_size, warm_size, instance_types, capacity_type,
                        spot_fallback, criticality, tags)
SELECT r.name, 'gpu-core', 'CORE_GPU', 2, 16, 2,
       ARRAY['g5.48xlarge', 'p4d.24xlarge', 'p5.48xlarge'], 'ON_DEMAND', false, 'CRITICAL',
       '{"task": "inference", "team": "serving"}'::jsonb
FROM regions r
UNION ALL
SELECT r.name, 'cpu-edge', 'EDGE_CPU', 3, 24, 1,
       ARRAY['c7i.2xlarge', 'c7i.4xlarge', 'c7i.8xlarge'], 'ON_DEMAND', false, 'NORMAL',
       '{"task": "edge-routing", "team": "edge"}'::jsonb
FROM regions r
UNION ALL
SELECT 'us-east', 'gpu-batch', 'CORE_GPU', 0, 8, 0,
       ARRAY['g5.12xlarge', 'g5.48xlarge'], 'SPOT', true, 'LOW',
       '{"task": "batch", "team": "research"}'::jsonb;

-- us-east on-demand list prices; other regions carry their usual premium, spot trades at a discount. Rounded
-- to the catalog's four decimals, as a provider's price list is.
WITH base (instance_type, on_demand, spot_factor) AS (
    VALUES ('g5.12xlarge',  5.6720::numeric,  0.3500::numeric),
           ('g5.48xlarge',  16.2880,          0.3500),
           ('p4d.24xlarge', 32.7726,          0.4000),
           ('p5.48xlarge',  98.3200,          0.4500),
           ('c7i.2xlarge',  0.3570,           0.4200),
           ('c7i.4xlarge',  0.7140,           0.4200),
           ('c7i.8xlarge',  1.4280,           0.4200)
), premium (region, factor) AS (
    VALUES ('us-east', 1.0000::numeric), ('us-west', 1.0000), ('eu-west', 1.1000), ('eu-central', 1.1300),
           ('ap-southeast', 1.2100)
)
INSERT INTO prices (region, instance_type, capacity_type, effective_from, hourly_price, currency)
SELECT p.region, b.instance_type, c.capacity_type, timestamptz '2026-01-01 00:00:00+00',
       round(b.on_demand * p.factor * CASE c.capacity_type WHEN 'SPOT' THEN b.spot_factor ELSE 1 END, 4), 'USD'
FROM base b
CROSS JOIN premium p
CROSS JOIN (VALUES ('ON_DEMAND'), ('SPOT')) AS c (capacity_type)
-- g5.12xlarge only exists in us-east's batch pool.
WHERE b.instance_type <> 'g5.12xlarge' OR p.region = 'us-east';

INSERT INTO budgets (scope_type, region, tag_key, tag_value, monthly_amount, currency) VALUES
    ('GLOBAL', NULL,           NULL,   NULL,       2500000.00, 'USD'),
    ('REGION', 'us-east',      NULL,   NULL,        900000.00, 'USD'),
    ('REGION', 'us-west',      NULL,   NULL,        500000.00, 'USD'),
    ('REGION', 'eu-west',      NULL,   NULL,        450000.00, 'USD'),
    ('REGION', 'eu-central',   NULL,   NULL,        350000.00, 'USD'),
    ('REGION', 'ap-southeast', NULL,   NULL,        300000.00, 'USD'),
    ('TAG',    NULL,           'team', 'research',  150000.00, 'USD');

-- The batch pool scales on a lazier signal than the defaults: it may wait and it runs hot.
INSERT INTO policy_overrides (region, pool, scale_out_utilization, target_utilization, scale_in_utilization,
                              sustain_windows, stabilization_seconds)
VALUES ('us-east', 'gpu-batch', 90.00, 75.00, 20.00, 6, 600);
