package dev.meridian.cost.streams;

import dev.meridian.registry.config.FleetView;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.topic.StateStores;
import dev.meridian.policy.cost.BudgetSettings;
import dev.meridian.registry.config.FleetSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import dev.meridian.contracts.cost.BudgetStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** The service's topology as a plain KafkaStreams on a real broker, configured as application.properties does. */
final class Streams {

    /** The forecast never counts (the month is shorter), so expected states follow spend alone. */
    static final BudgetSettings NO_FORECAST = new BudgetSettings(80, 95, 100, 2, List.of(50, 80, 90, 95, 100),
            Duration.ofHours(800), 10, ZoneId.of("UTC"));

    private Streams() {
    }

    static CostSettings settings(String homeRegion) {
        return new CostSettings(Set.of(homeRegion), "/test", "USD", Duration.ofMillis(200), Duration.ofMinutes(5),
                Duration.ofMillis(200), 3, 10.0, Duration.ofMinutes(2), Duration.ofDays(400), Duration.ofSeconds(5),
                NO_FORECAST);
    }

    static KafkaStreams start(String applicationId, String bootstrap, Path stateDir, CostSettings settings,
            FleetSnapshot registry) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.METADATA_MAX_AGE_CONFIG, 1000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        KafkaStreams streams = new KafkaStreams(CostTopology.build(settings, FleetView.fixed(registry),
                CostMetrics.NONE), props);
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    /**
     * Closes as a stopping service does. Streams members do not leave the group on close (a rolling restart should not
     * rebalance twice), so the next member waits for the session timeout; the tests shorten it to the broker's 6 s
     * minimum.
     */
    static void stop(KafkaStreams streams) {
        streams.close(Duration.ofSeconds(30));
    }

    /** A scope's status from the instance's store (interactive query), as {@code GET /v1/budgets/{scope}} reads it. */
    static BudgetStatus status(KafkaStreams streams, String scope) {
        ReadOnlyKeyValueStore<String, BudgetStatus> store = streams.store(StoreQueryParameters.fromNameAndType(
                StateStores.COST_BUDGET_STATUS, QueryableStoreTypes.keyValueStore()));
        return store.get(scope);
    }
}
