package dev.meridian.cost.api;

import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.cost.streams.EfficiencyLine;
import dev.meridian.cost.streams.Keys;
import dev.meridian.policy.cost.CostLine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServiceUnavailableException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries of this instance's stores. One instance per region holds every store (the budget input has one
 * partition, the accrual input only the home regions), so local reads are complete.
 */
@ApplicationScoped
public class CostStoreReader {

    private final KafkaStreams streams;

    CostStoreReader(KafkaStreams streams) {
        this.streams = streams;
    }

    public record Lines(List<CostLine> spend, List<CostLine> idle, List<CostLine> spotSavings) {
    }

    /**
     * The lines of {@code from .. to} of the given regions only (every region when empty): a line of another region
     * never enters the answer. Store keys sort by hour first, so the hour range is scanned and each line's region is
     * checked as it is read.
     */
    public Lines lines(Instant from, Instant to, Optional<Set<String>> regions) {
        Predicate<String> region = regions.<Predicate<String>>map(set -> r -> r != null && set.contains(r))
                .orElse(r -> true);
        String low = Keys.hourFloor(from.truncatedTo(ChronoUnit.HOURS));
        // up to the hour after the one holding `to` (keys of an hour sort after its floor), filtered below
        String high = Keys.hourFloor(to.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
        List<CostLine> spend = new ArrayList<>();
        this.<SpendAggregate>scan(StateStores.COST_SPEND_LINES, low, high, kv -> {
            if (kv.value.hourStart().isBefore(to) && region.test(kv.value.region())) {
                spend.add(CostLine.of(kv.value));
            }
        });
        List<CostLine> idle = new ArrayList<>();
        List<CostLine> savings = new ArrayList<>();
        this.<EfficiencyLine>scan(StateStores.COST_EFFICIENCY, low, high, kv -> {
            EfficiencyLine e = kv.value;
            if (e.hourStart().isBefore(to) && region.test(e.region())) {
                idle.add(new CostLine(e.region(), e.hourStart(), e.tags(), e.currency(), e.idleAmount(),
                        e.idleNodeSeconds()));
                savings.add(new CostLine(e.region(), e.hourStart(), e.tags(), e.currency(), e.spotSavings(), 0));
            }
        });
        return new Lines(spend, idle, savings);
    }

    public Optional<BudgetStatus> status(String scope) {
        return Optional.ofNullable(this.<BudgetStatus>store(StateStores.COST_BUDGET_STATUS).get(scope));
    }

    private <V> void scan(String name, String low, String high, Consumer<KeyValue<String, V>> each) {
        try (KeyValueIterator<String, V> it = this.<V>store(name).range(low, high)) {
            it.forEachRemaining(each);
        } catch (InvalidStateStoreException e) {
            throw new ServiceUnavailableException("state store " + name + " is not ready: " + e.getMessage());
        }
    }

    /** Stores can be asked only while the stream threads are RUNNING; during a rebalance or restore: 503. */
    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new ServiceUnavailableException("state store " + name + " is not ready: " + e.getMessage());
        }
    }
}
