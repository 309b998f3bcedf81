package dev.meridian.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.registry.config.Budget;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The servers without the services: what one run leaves in its directory, the next finds, unless fresh. */
@Timeout(300)
class SandboxKeptDataIT {

    private static final String SCOPE = "team:research";
    /** The research team's monthly budget in the registry seed (db/seed). */
    private static final BigDecimal SEEDED = new BigDecimal("150000.00");
    private static final TopicPartition MARKERS = new TopicPartition(TopicCatalog.LATENCY, 0);

    @TempDir
    Path dir;

    @Test
    void aSecondRunFindsTheRegistryTopicsAndConnectorWhereTheFirstLeftThemAndFreshStartsFromTheSeed()
            throws Exception {
        try (Sandbox first = start(false)) {
            assertThat(budgetRow(first)).isEqualByComparingTo(SEEDED);
            setBudget(first, "0.01");
            awaitBudgetInKafka(first, "0.01");
            try (KafkaProducer<String, String> producer = producer(first)) {
                producer.send(new ProducerRecord<>(MARKERS.topic(), MARKERS.partition(), "marker", "run 1")).get();
            }
        }

        try (Sandbox second = start(false)) {
            assertThat(budgetRow(second)).isEqualByComparingTo("0.01");
            assertThat(markers(second)).containsExactly("run 1");
            awaitBudgetInKafka(second, "0.01");
            // The connector resumed from its kept offsets and slot: a change made now still reaches Kafka.
            setBudget(second, "0.02");
            awaitBudgetInKafka(second, "0.02");
        }

        try (Sandbox fresh = start(true)) {
            assertThat(budgetRow(fresh)).isEqualByComparingTo(SEEDED);
            assertThat(markers(fresh)).isEmpty();
            awaitBudgetInKafka(fresh, SEEDED.toPlainString());
        }
    }

    private Sandbox start(boolean fresh) throws Exception {
        return Sandbox.start(new Sandbox.Options(dir, Path.of("").toAbsolutePath(), 0, false, Duration.ofSeconds(60),
                fresh), Sandbox.Steps.SILENT);
    }

    private static BigDecimal budgetRow(Sandbox sandbox) throws Exception {
        try (Connection connection = sandbox.postgres().dataSource().getConnection();
                Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery(
                        "SELECT monthly_amount FROM config.budgets WHERE scope = '" + SCOPE + "'")) {
            assertThat(row.next()).as("the research budget row").isTrue();
            return row.getBigDecimal(1);
        }
    }

    private static void setBudget(Sandbox sandbox, String amount) throws Exception {
        try (Connection connection = sandbox.postgres().dataSource().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("SET meridian.actor = 'kept-data-it'");
            assertThat(sql.executeUpdate("UPDATE config.budgets SET monthly_amount = " + amount
                    + " WHERE scope = '" + SCOPE + "'")).isEqualTo(1);
        }
    }

    private static void awaitBudgetInKafka(Sandbox sandbox, String amount) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sandbox.fleet().current()
                .budget(SCOPE).map(Budget::monthlyAmount)).hasValueSatisfying(
                        value -> assertThat(value).isEqualByComparingTo(amount)));
    }

    private static List<String> markers(Sandbox sandbox) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.kafka().bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(MARKERS));
            consumer.seekToBeginning(List.of(MARKERS));
            long end = consumer.endOffsets(List.of(MARKERS)).get(MARKERS);
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
                return consumer.position(MARKERS) >= end;
            });
            return values;
        }
    }

    private static KafkaProducer<String, String> producer(Sandbox sandbox) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.kafka().bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }
}
