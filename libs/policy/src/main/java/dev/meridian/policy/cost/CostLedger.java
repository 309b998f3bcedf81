package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Accrual of node time into hourly spend. Fed inventory transitions ({@link #onNode}) and ticks ({@link #tick}); each
 * returns the next ledger and the buckets whose aggregate changed.
 *
 * <p>A node costs from its JOINED {@code since} to its LEFT {@code since}; STALE changes nothing. Ticks charge every
 * running node up to {@code now}. Inventory arrives after the fact (ingest declares LEFT only after minutes of
 * silence, and a tick may already have charged past it), so an hour stays open for {@code lateness} after it ends:
 * a late LEFT takes the overcharge back from open hours. Once {@code finalizedBefore} passes an hour, its aggregate
 * is final and never re-created: time reported into it afterwards is an {@link AccrualGap}.
 *
 * <p>Replaying an inventory record already applied (same state, same since) changes nothing, so a service may
 * re-feed the compacted {@code fleet.nodes} after a restart. State is plain records, so a service can keep the
 * meters and buckets in changelogged stores.
 *
 * @param meters          by nodeId; LEFT meters are kept until their hour is final, to recognise replays
 * @param buckets         open hours, by aggregate id
 * @param finalizedBefore on an hour boundary; every hour before it is final
 * @param lateness        how long after its end an hour still takes corrections
 */
public record CostLedger(Map<String, NodeMeter> meters, Map<String, SpendBucket> buckets, Instant finalizedBefore,
        Duration lateness) {

    /** Ingest declares LEFT within about a second of deciding it; five minutes covers restarts and lag too. */
    public static final Duration DEFAULT_LATENESS = Duration.ofMinutes(5);

    public CostLedger {
        meters = Map.copyOf(meters);
        buckets = Map.copyOf(buckets);
        Objects.requireNonNull(finalizedBefore, "finalizedBefore");
        Objects.requireNonNull(lateness, "lateness");
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("lateness must not be negative, was " + lateness);
        }
        if (!finalizedBefore.truncatedTo(ChronoUnit.HOURS).equals(finalizedBefore)) {
            throw new IllegalArgumentException("finalizedBefore must be on the hour, was " + finalizedBefore);
        }
    }

    /**
     * An empty ledger whose hours before {@code finalizedBefore} (truncated to the hour) are final: a service starting
     * without state passes its start time, so replayed joins from weeks ago do not re-create published hours.
     */
    public static CostLedger startingAt(Instant finalizedBefore, Duration lateness) {
        return new CostLedger(Map.of(), Map.of(), finalizedBefore.truncatedTo(ChronoUnit.HOURS), lateness);
    }

    /**
     * Applies one inventory record.
     *
     * @param poolTags the registry tags of the node's pool (team, task, …), as of now
     * @param now      the aggregates' {@code computedAt}
     */
    public LedgerStep onNode(FleetNode node, Map<String, String> poolTags, PriceCatalog catalog, Instant now) {
        Work work = new Work(catalog);
        NodeMeter meter = meters.get(node.nodeId());
        if (meter == null) {
            if (node.state() != NodeState.LEFT) {
                work.start(NodeMeter.of(node, poolTags, node.since()), node.since());
            }
        } else if (!meter.running()) {
            if (node.state() != NodeState.LEFT) {
                // A node back after LEFT (or moved to another pool) is charged again, never twice for one instant.
                work.start(NodeMeter.of(node, poolTags, node.since()), PriceWalk.max(node.since(), meter.accruedUntil()));
            }
        } else if (node.state() == NodeState.LEFT) {
            work.leave(meter, node.since());
        } else {
            NodeMeter observed = NodeMeter.of(node, poolTags, meter.accruedUntil());
            if (observed.pricedAs(meter)) {
                work.meters.put(meter.nodeId(), meter.observed(node.state(), node.since(), meter.accruedUntil()));
            } else {
                // Time already charged keeps its old tags; the new ones apply from the later of since and now-charged.
                Instant switchAt = PriceWalk.max(node.since(), meter.accruedUntil());
                work.accrue(meter, meter.accruedUntil(), switchAt, 1);
                work.meters.put(meter.nodeId(), observed.observed(node.state(), node.since(), switchAt));
            }
        }
        return work.step(now);
    }

    /** Charges every running node up to {@code now} and finalizes the hours that ended {@code lateness} ago. */
    public LedgerStep tick(Instant now, PriceCatalog catalog) {
        Work work = new Work(catalog);
        for (NodeMeter meter : meters.values()) {
            if (meter.running() && meter.accruedUntil().isBefore(now)) {
                work.accrue(meter, meter.accruedUntil(), now, 1);
                work.meters.put(meter.nodeId(), meter.observed(meter.state(), meter.stateSince(), now));
            }
        }
        work.finalizeBefore(now.minus(lateness).truncatedTo(ChronoUnit.HOURS));
        return work.step(now);
    }

    /** Mutable copies for one step; the ledger itself never changes. */
    private final class Work {
        final PriceCatalog catalog;
        final Map<String, NodeMeter> meters = new HashMap<>(CostLedger.this.meters);
        final Map<String, SpendBucket> buckets = new HashMap<>(CostLedger.this.buckets);
        final Map<String, SpendBucket> changed = new TreeMap<>();
        final TreeSet<String> finalized = new TreeSet<>();
        final List<AccrualGap> gaps = new ArrayList<>();
        Instant finalizedUpTo = finalizedBefore;

        Work(PriceCatalog catalog) {
            this.catalog = catalog;
        }

        void start(NodeMeter meter, Instant from) {
            Instant chargedFrom = from;
            if (from.isBefore(finalizedUpTo)) {
                gaps.add(new AccrualGap(meter.nodeId(), from, finalizedUpTo, AccrualGap.Kind.LATE_JOIN));
                chargedFrom = finalizedUpTo;
            }
            meters.put(meter.nodeId(), meter.observed(meter.state(), meter.stateSince(), chargedFrom));
        }

        void leave(NodeMeter meter, Instant leftAt) {
            Instant charged = meter.accruedUntil();
            if (leftAt.isAfter(charged)) {
                accrue(meter, charged, leftAt, 1);
            } else if (leftAt.isBefore(charged)) {
                Instant takeBackFrom = PriceWalk.max(leftAt, finalizedUpTo);
                if (takeBackFrom.isBefore(charged)) {
                    accrue(meter, takeBackFrom, charged, -1);
                }
                if (leftAt.isBefore(finalizedUpTo)) {
                    gaps.add(new AccrualGap(meter.nodeId(), leftAt, PriceWalk.min(finalizedUpTo, charged),
                            AccrualGap.Kind.LATE_LEAVE));
                }
            }
            meters.put(meter.nodeId(), meter.observed(NodeState.LEFT, leftAt, leftAt));
        }

        void accrue(NodeMeter meter, Instant from, Instant to, int sign) {
            if (!from.isBefore(to)) {
                return;
            }
            PriceKey key = meter.priceKey();
            PriceKey onDemand = key.withCapacity(CapacityType.ON_DEMAND);
            boolean spot = meter.capacityType() == CapacityType.SPOT;
            BigDecimal signum = BigDecimal.valueOf(sign);
            PriceWalk.walk(catalog, key, from, to, (hourStart, a, b, price) -> {
                if (price == null) {
                    if (sign > 0) {
                        noPrice(meter.nodeId(), a, b);
                    }
                    return;
                }
                long nanos = PriceWalk.nanos(a, b);
                BigDecimal priceNanos = price.multiply(BigDecimal.valueOf(nanos));
                BigDecimal savings = BigDecimal.ZERO;
                if (spot) {
                    long comparable = PriceWalk.pricedNanos(catalog, onDemand, a, b);
                    savings = PriceWalk.priceNanos(catalog, onDemand, a, b)
                            .subtract(price.multiply(BigDecimal.valueOf(comparable)));
                }
                String id = SpendAggregate.key(meter.region(), hourStart, meter.tags());
                SpendBucket bucket = buckets.get(id);
                if (bucket == null) {
                    bucket = SpendBucket.empty(meter.region(), hourStart, meter.tags(), catalog.currency());
                }
                SpendBucket next = bucket.plus(priceNanos.multiply(signum), sign * nanos, savings.multiply(signum));
                buckets.put(id, next);
                changed.put(id, next);
            });
        }

        private void noPrice(String nodeId, Instant from, Instant to) {
            AccrualGap last = gaps.isEmpty() ? null : gaps.get(gaps.size() - 1);
            if (last != null && last.kind() == AccrualGap.Kind.NO_PRICE && last.nodeId().equals(nodeId)
                    && last.to().equals(from)) {
                gaps.set(gaps.size() - 1, new AccrualGap(nodeId, last.from(), to, AccrualGap.Kind.NO_PRICE));
            } else {
                gaps.add(new AccrualGap(nodeId, from, to, AccrualGap.Kind.NO_PRICE));
            }
        }

        void finalizeBefore(Instant boundary) {
            if (!boundary.isAfter(finalizedUpTo)) {
                return;
            }
            finalizedUpTo = boundary;
            buckets.values().removeIf(bucket -> {
                boolean done = !bucket.hourStart().plus(Duration.ofHours(1)).isAfter(boundary);
                if (done) {
                    changed.put(bucket.id(), bucket);
                    finalized.add(bucket.id());
                }
                return done;
            });
            meters.values().removeIf(meter -> !meter.running() && !meter.accruedUntil().isAfter(boundary));
        }

        LedgerStep step(Instant now) {
            gaps.sort(Comparator.comparing(AccrualGap::nodeId).thenComparing(AccrualGap::from));
            return new LedgerStep(new CostLedger(meters, buckets, finalizedUpTo, lateness), now,
                    List.copyOf(changed.values()), List.copyOf(finalized), List.copyOf(gaps));
        }
    }
}
