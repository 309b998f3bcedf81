package dev.meridian.service.security;

import java.time.Clock;
import java.time.Duration;

/**
 * How many refusals a service reports on its own: a token bucket of {@code burst} reports that refills at
 * {@code perSecond}. A refusal over budget is counted instead, and the count rides on the next report, so a flood of
 * bad requests costs the audit a few records a second and still leaves its size on record. Thread-safe.
 */
public final class ReportBudget {

    private final Clock clock;
    private final double perNano;
    private final double burst;
    private double tokens;
    private long refilledAt;
    private long held;

    public ReportBudget(Clock clock, double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a report budget needs a positive rate and a burst of at least 1");
        }
        this.clock = clock;
        this.perNano = perSecond / Duration.ofSeconds(1).toNanos();
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nanos();
    }

    /**
     * Takes one report from the budget: the number of refusals held back since the last report granted (0 or more),
     * or -1 when this one is held back too.
     */
    public synchronized long take() {
        long now = nanos();
        tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        if (tokens < 1) {
            held++;
            return -1;
        }
        tokens -= 1;
        long before = held;
        held = 0;
        return before;
    }

    private long nanos() {
        // Clock, not System.nanoTime: tests drive time; a wall clock stepping back only delays the refill.
        java.time.Instant now = clock.instant();
        return Math.max(refilledAt, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }
}
