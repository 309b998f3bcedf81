package dev.meridian.contracts.topic;

/**
 * Names of the Kafka Streams state stores, {@code <service>-<purpose>-store}. Kept beside the topic names because
 * they name changelog topics ({@code <application.id>-<store>-changelog}) that deploy/ and operators see.
 */
public final class StateStores {

    /** metrics-ingest: the previous node_exporter counters of each node, to turn counters into rates. */
    public static final String INGEST_COUNTERS = "metrics-ingest-counters-store";
    /** metrics-ingest: per node and window, the samples' running totals until the window closes. */
    public static final String INGEST_NODE_WINDOWS = "metrics-ingest-node-windows-store";
    /** metrics-ingest: observed inventory, one FleetNode per node that has not LEFT. */
    public static final String INGEST_INVENTORY = "metrics-ingest-inventory-store";
    /** metrics-ingest: each node's latest window result, for interactive queries. */
    public static final String INGEST_NODE_LATEST = "metrics-ingest-node-latest-store";
    /** metrics-ingest: per pool and window, the node results until the pool window is emitted. */
    public static final String INGEST_POOL_WINDOWS = "metrics-ingest-pool-windows-store";
    /** metrics-ingest: the nodes the inventory knows per pool (JOINED or STALE). */
    public static final String INGEST_POOL_MEMBERS = "metrics-ingest-pool-members-store";
    /** metrics-ingest: each pool's latest window result, for interactive queries. */
    public static final String INGEST_POOL_LATEST = "metrics-ingest-pool-latest-store";

    /** audit: per region, the head of its hash chain (next sequence, last hash, entries since the last digest). */
    public static final String AUDIT_CHAIN = "audit-chain-store";
    /** audit: ids of recently chained operations, so an event delivered twice is chained once. */
    public static final String AUDIT_SEEN = "audit-seen-store";
    /** audit: each budget scope's last state, so only changes are recorded. */
    public static final String AUDIT_BUDGET_STATES = "audit-budget-states-store";
    /** audit: registry transactions' actors and the deletes and truncates waiting for theirs. */
    public static final String AUDIT_REGISTRY_TX = "audit-registry-tx-store";

    /** scaler: per pool, everything ScalingPolicy remembers (sustain counts, cooldown, pending requests, drains). */
    public static final String SCALER_POOLS = "scaler-pools-store";
    /** scaler: per {@code region/pool/nodeId}, the inventory record and newest load of each node. */
    public static final String SCALER_NODES = "scaler-nodes-store";
    /** scaler: per {@code region/pool/nodeId}, a spot interruption notice until the node has left. */
    public static final String SCALER_INTERRUPTIONS = "scaler-interruptions-store";
    /** scaler: the latest budget status per scope (global store over the compacted budget-status topic). */
    public static final String SCALER_BUDGETS = "scaler-budgets-store";
    /** scaler: per pool ({@code region/pool}), what operators' actions hold (manual size, pause, override, cordons). */
    public static final String SCALER_HOLDS = "scaler-holds-store";

    /** cost: per node, what it is priced as and how far it has been charged (policy {@code NodeMeter}). */
    public static final String COST_METERS = "cost-meters-store";
    /** cost: the open hours' exact sums (policy {@code SpendBucket}), by aggregate id. */
    public static final String COST_OPEN_BUCKETS = "cost-open-buckets-store";
    /** cost: per region, the ledger's {@code finalizedBefore}. */
    public static final String COST_LEDGERS = "cost-ledgers-store";
    /** cost: idle cost and spot savings per region, hour and tag set. */
    public static final String COST_EFFICIENCY = "cost-efficiency-store";
    /** cost: the latest version of every hourly spend aggregate, local and mirrored. */
    public static final String COST_SPEND_LINES = "cost-spend-lines-store";
    /** cost: the latest BudgetStatus per scope (its state, month and thresholds are the gate's memory). */
    public static final String COST_BUDGET_STATUS = "cost-budget-status-store";

    private StateStores() {
    }
}
