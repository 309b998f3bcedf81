package dev.meridian.ingest.intake;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for the broker to acknowledge everything a request published. */
public final class Acks {

    private Acks() {
    }

    /**
     * Returns once every future completed successfully.
     *
     * @throws IntakeException {@link IntakeException.Kind#UNAVAILABLE} when one failed or the wait timed out: the
     *                         caller must not be told its data is safe, so it retries (records already written
     *                         then arrive twice, which at-least-once senders accept)
     */
    /**
     * Fails the request at once when a send could not even be queued (the broker unreachable for max.block.ms):
     * otherwise every remaining item of the request would block that long again.
     */
    public static <F extends CompletableFuture<?>> F failFast(F ack) {
        if (ack.isCompletedExceptionally()) {
            await(List.of(ack), Duration.ZERO);
        }
        return ack;
    }

    public static void await(List<? extends CompletableFuture<?>> acks, Duration timeout) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntakeException(IntakeException.Kind.UNAVAILABLE, "interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw new IntakeException(IntakeException.Kind.UNAVAILABLE,
                    "the broker did not acknowledge every record: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IntakeException(IntakeException.Kind.UNAVAILABLE,
                    "the broker did not acknowledge every record within " + timeout, e);
        }
    }
}
