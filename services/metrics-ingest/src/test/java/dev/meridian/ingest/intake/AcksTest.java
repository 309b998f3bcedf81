package dev.meridian.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class AcksTest {

    @Test
    void aSendThatCouldNotBeQueuedFailsTheRequestAtOnce() {
        // What IntakePublisher returns when send() itself threw after max.block.ms with the broker unreachable.
        CompletableFuture<Object> notQueued = CompletableFuture.failedFuture(
                new TimeoutException("Topic meridian.metrics.node.v1 not present in metadata after 30000 ms."));

        assertThatThrownBy(() -> Acks.failFast(notQueued))
                .isInstanceOfSatisfying(IntakeException.class,
                        e -> assertThat(e.kind()).isEqualTo(IntakeException.Kind.UNAVAILABLE))
                .hasMessageContaining("not present in metadata");
    }

    @Test
    void aSendStillInFlightIsLeftToTheFinalWait() {
        CompletableFuture<Object> inFlight = new CompletableFuture<>();

        assertThat(Acks.failFast(inFlight)).isSameAs(inFlight);
        assertThatThrownBy(() -> Acks.await(List.of(inFlight), Duration.ofMillis(10)))
                .isInstanceOf(IntakeException.class).hasMessageContaining("within PT0.01S");
    }
}
