package dev.meridian.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The bisection on its own, with a store that refuses any attempt holding a poison item and keeps nothing of it. */
class BisectionTest {

    /** A store that takes an attempt whole or not at all, like a savepoint rolled back. */
    private static final class AllOrNothing implements Bisection.Attempt<Integer> {
        final Set<Integer> poison;
        final Map<Integer, Integer> stored = new HashMap<>();
        int attempts;

        AllOrNothing(Set<Integer> poison) {
            this.poison = poison;
        }

        @Override
        public void store(List<Integer> items) throws SQLException {
            attempts++;
            if (items.stream().anyMatch(poison::contains)) {
                throw new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
            }
            items.forEach(item -> stored.merge(item, 1, Integer::sum));
        }
    }

    static IntStream seeds() {
        return IntStream.range(0, 200);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyGoodItemIsStoredExactlyOnceAndEveryPoisonOneRefusedWhateverTheMix(int seed) throws SQLException {
        Random random = new Random(seed);
        int n = random.nextInt(300);
        double poisonShare = random.nextInt(4) == 0 ? 1.0 : random.nextDouble() * 0.2;
        List<Integer> batch = new ArrayList<>();
        Set<Integer> poison = new HashSet<>();
        for (int i = 0; i < n; i++) {
            batch.add(i);
            if (random.nextDouble() < poisonShare) {
                poison.add(i);
            }
        }
        AllOrNothing store = new AllOrNothing(poison);

        List<Bisection.Refused<Integer>> refused = Bisection.storeAllBut(batch, store, SqlFailures::refusesContent);

        assertThat(refused).extracting(Bisection.Refused::item).containsExactlyInAnyOrderElementsOf(poison);
        assertThat(refused).allSatisfy(r -> assertThat(r.cause().getSQLState()).isEqualTo("22021"));
        Map<Integer, Integer> expected = new HashMap<>();
        batch.stream().filter(item -> !poison.contains(item)).forEach(item -> expected.put(item, 1));
        assertThat(store.stored).isEqualTo(expected);
        // k poison items among n: at most 2·k·⌈log2 n⌉ + 1 attempts, never one per item.
        int log = n <= 1 ? 1 : 32 - Integer.numberOfLeadingZeros(n - 1);
        assertThat(store.attempts).isLessThanOrEqualTo(Math.max(1, 2 * poison.size() * log + 1));
    }

    @Test
    void aCleanBatchCostsOneAttempt() throws SQLException {
        AllOrNothing store = new AllOrNothing(Set.of());

        assertThat(Bisection.storeAllBut(List.of(1, 2, 3, 4, 5), store, SqlFailures::refusesContent)).isEmpty();
        assertThat(store.attempts).isEqualTo(1);
    }

    @Test
    void aFailureThatIsNotTheContentsFaultIsThrownAtOnceNotBisected() {
        int[] attempts = {0};
        Bisection.Attempt<Integer> connectionLost = items -> {
            attempts[0]++;
            throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
        };

        assertThatThrownBy(() -> Bisection.storeAllBut(List.of(1, 2, 3, 4), connectionLost,
                SqlFailures::refusesContent)).isInstanceOf(SQLException.class).hasMessageContaining("I/O error");
        assertThat(attempts[0]).isEqualTo(1);
    }

    @Test
    void tellsContentRefusalsFromTransientFailures() {
        assertThat(SqlFailures.refusesContent(new SQLException("nul", "22021"))).isTrue();
        assertThat(SqlFailures.refusesContent(new SQLException("\\u0000 in jsonb", "22P05"))).isTrue();
        assertThat(SqlFailures.refusesContent(new SQLException("no partition", "23514"))).isTrue();
        assertThat(SqlFailures.refusesContent(new SQLException("index row size", "54000"))).isTrue();
        assertThat(SqlFailures.refusesContent(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(SqlFailures.refusesContent(new SQLException("terminating connection", "57P01"))).isFalse();
        assertThat(SqlFailures.refusesContent(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(SqlFailures.refusesContent(new SQLException("no state"))).isFalse();
    }
}
