package dev.meridian.registry.config;

/** The registry tables FleetConfig keeps, each with the row type it decodes to. */
public enum ConfigTable {
    REGIONS("regions", Region.class),
    REGION_ALLOW_LIST("region_allow_list", AllowListEntry.class),
    NODE_POOLS("node_pools", NodePool.class),
    PRICES("prices", Price.class),
    BUDGETS("budgets", Budget.class),
    POLICY_OVERRIDES("policy_overrides", PolicyOverride.class);

    private final String tableName;
    private final Class<?> rowType;

    ConfigTable(String tableName, Class<?> rowType) {
        this.tableName = tableName;
        this.rowType = rowType;
    }

    /** The table's name in PostgreSQL schema {@code config}, and the last part of its topic name. */
    public String tableName() {
        return tableName;
    }

    public Class<?> rowType() {
        return rowType;
    }
}
