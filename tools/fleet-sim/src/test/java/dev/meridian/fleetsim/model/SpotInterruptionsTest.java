package dev.meridian.fleetsim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.registry.config.FleetSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpotInterruptionsTest {

    private static final Instant T0 = Instant.parse("2026-11-16T18:00:00Z");

    @Test
    void theProbabilityPerStepIsTheRateTimesTheStep() {
        assertThat(new SpotInterruptions(1).probability(Duration.ofSeconds(1))).isEqualTo(1.0 / 3600);
        assertThat(new SpotInterruptions(2).probability(Duration.ofMinutes(30))).isEqualTo(1.0);
        assertThat(new SpotInterruptions(7200).probability(Duration.ofHours(1))).isEqualTo(1.0);
        assertThatThrownBy(() -> new SpotInterruptions(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSeededRunGivesTheSameNoticesAndAboutTheExpectedNumber() {
        List<Integer> candidates = IntStream.range(0, 100).boxed().toList();
        SpotInterruptions spot = new SpotInterruptions(0.5);
        Random a = new Random(7);
        Random b = new Random(7);
        int count = 0;
        for (int second = 0; second < 3600; second++) {
            List<Integer> hit = spot.draw(candidates, Duration.ofSeconds(1), a);
            assertThat(spot.draw(candidates, Duration.ofSeconds(1), b)).isEqualTo(hit);
            count += hit.size();
        }
        // 100 nodes × 1 h × 0.5 per node-hour = 50 expected; binomial σ = √(360,000 · p · (1 − p)) ≈ 7.07
        assertThat(count).isBetween(50 - 28, 50 + 28);
    }

    @Test
    void anInterruptedSpotNodeIsReclaimedAtItsDeadline() {
        FleetSnapshot fleet = FleetSnapshot.of(List.of(Fleets.region("us-east")), List.of(),
                List.of(Fleets.gpuPool("us-east", 20, 20, CapacityType.SPOT)), List.of(), List.of(), List.of());
        List<Interruption> first = run(fleet, 11);
        assertThat(run(fleet, 11)).isEqualTo(first);
        assertThat(first).isNotEmpty().allSatisfy(notice -> {
            assertThat(notice.deadline()).isEqualTo(notice.noticeAt().plus(Duration.ofMinutes(2)));
            assertThat(notice.source()).isEqualTo("fleet-sim");
            assertThat(notice.violations()).isEmpty();
        });

        FleetModel model = new FleetModel(CapacityTable.defaults(), Delays.REAL_CLOUD, new SpotInterruptions(3600),
                new Random(1));
        model.adopt(fleet, T0);
        // a rate of 3,600 per node-hour is a certain notice in a one-second step
        assertThat(model.step(T0, Duration.ofSeconds(1), Map.of()).notices()).hasSize(20);
        assertThat(model.step(T0.plusSeconds(119), Duration.ofSeconds(1), Map.of()).samples()).hasSize(20);
        assertThat(model.step(T0.plusSeconds(120), Duration.ofSeconds(1), Map.of()).samples()).isEmpty();
    }

    private static List<Interruption> run(FleetSnapshot fleet, long seed) {
        FleetModel model = new FleetModel(CapacityTable.defaults(), Delays.REAL_CLOUD, new SpotInterruptions(30),
                new Random(seed));
        model.adopt(fleet, T0);
        List<Interruption> notices = new ArrayList<>();
        for (int s = 0; s < 60; s++) {
            notices.addAll(model.step(T0.plusSeconds(s), Duration.ofSeconds(1), Map.of()).notices());
        }
        return notices;
    }
}
