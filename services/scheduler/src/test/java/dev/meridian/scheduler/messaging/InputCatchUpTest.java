package dev.meridian.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InputCatchUpTest {

    private final TopicPartition pools0 = new TopicPartition("pools", 0);
    private final TopicPartition pools1 = new TopicPartition("pools", 1);
    private final TopicPartition latency0 = new TopicPartition("latency", 0);
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    @Test
    void caughtUpOnlyOnceEveryPartitionIsReadToItsEndAtAssignment() {
        InputCatchUp catchUp = new InputCatchUp(List.of("pools", "latency"));
        catchUp.assigned(Map.of(pools0, 10L, pools1, 0L, latency0, 3L));
        positions.putAll(Map.of(pools0, 4L, pools1, 0L, latency0, 3L));

        assertThat(catchUp.caughtUp(positions::get)).as("pools-0 read to 4 of 10").isFalse();
        assertThat(catchUp.describeMissing()).contains("pools-0").doesNotContain("pools-1", "latency-0");

        positions.put(pools0, 10L);
        assertThat(catchUp.caughtUp(positions::get)).isTrue();
    }

    @Test
    void recordsArrivingAfterTheAssignmentDoNotHoldItBack() {
        InputCatchUp catchUp = new InputCatchUp(List.of("pools"));
        catchUp.assigned(Map.of(pools0, 10L));
        positions.put(pools0, 10L);

        // The end has moved on to 25 meanwhile: the target stays what ended at assignment.
        assertThat(catchUp.caughtUp(positions::get)).isTrue();
    }

    @Test
    void aRequiredTopicThatDoesNotExistYetIsNotCaughtUp() {
        InputCatchUp catchUp = new InputCatchUp(List.of("pools", "latency"));
        catchUp.assigned(Map.of(pools0, 0L));
        positions.put(pools0, 0L);

        assertThat(catchUp.caughtUp(positions::get)).isFalse();
        assertThat(catchUp.describeMissing()).contains("missing topics [latency]");

        catchUp.assigned(Map.of(latency0, 2L));
        positions.put(latency0, 2L);
        assertThat(catchUp.caughtUp(positions::get)).isTrue();
    }

    @Test
    void aPartitionReadToItsEndIsNotAskedAgain() {
        InputCatchUp catchUp = new InputCatchUp(List.of("pools"));
        catchUp.assigned(Map.of(pools0, 5L, pools1, 5L));
        positions.putAll(Map.of(pools0, 5L, pools1, 1L));
        assertThat(catchUp.caughtUp(positions::get)).isFalse();

        positions.remove(pools0);
        positions.put(pools1, 5L);
        // A lookup of pools-0 would now fail (null unboxing): it must be done with.
        assertThat(catchUp.caughtUp(positions::get)).isTrue();
    }
}
