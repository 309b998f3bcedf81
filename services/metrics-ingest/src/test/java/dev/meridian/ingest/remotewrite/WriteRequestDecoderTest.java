package dev.meridian.ingest.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.ingest.intake.IntakeException;
import dev.meridian.ingest.remotewrite.WriteRequestDecoder.Limits;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The per-request bounds of the remote_write decoder: exactly at a limit passes, one past it fails the request. */
class WriteRequestDecoderTest {

    private static final Limits LIMITS = new Limits(10, 4, 25);

    @Test
    void decodesARequestExactlyAtEveryLimit() throws Exception {
        assertThat(WriteRequestDecoder.decode(WriteRequestBytes.protobuf(10, 4, 2), LIMITS)).hasSize(10)
                .allSatisfy(series -> {
                    assertThat(series.labels()).hasSize(4).containsEntry("__name__", "up");
                    assertThat(series.samples()).hasSize(2);
                });
        assertThat(WriteRequestDecoder.decode(WriteRequestBytes.protobuf(5, 1, 5), LIMITS)).hasSize(5);
    }

    @Test
    void refusesMoreSeriesThanOneRequestMayHold() {
        assertRefused(() -> WriteRequestDecoder.decode(WriteRequestBytes.protobuf(11, 2, 1), LIMITS),
                IntakeException.Kind.TOO_MANY, "more than 10 series", "max-series-per-request");
    }

    @Test
    void refusesMoreSamplesThanOneRequestMayHoldOverAllItsSeries() {
        // 9 series of 3 samples: every series and its samples alone are within the limits, the request is not.
        assertRefused(() -> WriteRequestDecoder.decode(WriteRequestBytes.protobuf(9, 2, 3), LIMITS),
                IntakeException.Kind.TOO_MANY, "more than 25 samples", "max-samples-per-request");
    }

    @Test
    void refusesASeriesWithMoreLabelsThanOneSeriesMayCarry() {
        assertRefused(() -> WriteRequestDecoder.decode(WriteRequestBytes.protobuf(3, 5, 1), LIMITS),
                IntakeException.Kind.ITEM_OVER_LIMIT, "the series at index 0", "more than 4 labels",
                "max-labels-per-series");
    }

    @Test
    void theUnlimitedDecoderStillReadsLargeRequests() throws Exception {
        assertThat(WriteRequestDecoder.decode(WriteRequestBytes.protobuf(2_000, 70, 1))).hasSize(2_000);
    }

    private static void assertRefused(ThrowingCallable decode, IntakeException.Kind kind, String... detail) {
        assertThatThrownBy(decode).isInstanceOfSatisfying(IntakeException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).contains(detail);
        });
    }
}
