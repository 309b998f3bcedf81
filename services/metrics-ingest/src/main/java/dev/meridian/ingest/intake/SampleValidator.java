package dev.meridian.ingest.intake;

import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.validation.ContractViolationException;
import dev.meridian.contracts.validation.Violation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The one validation every door shares: the contract's rules plus clock skew against the receiver's clock.
 * Plain class (no CDI) so the topology tests and the remote_write mapping use it with a fixed clock.
 */
public final class SampleValidator {

    private final Clock clock;
    private final Duration maxClockSkew;
    private final Duration maxNoticeAge;

    /**
     * @param maxClockSkew how far ahead of {@code clock} a sample or notice may be stamped: the window grace, because
     *                     a sample further ahead would land in a window that has not opened yet
     * @param maxNoticeAge how far behind {@code clock} an interruption notice may be stamped
     */
    public SampleValidator(Clock clock, Duration maxClockSkew, Duration maxNoticeAge) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        this.maxNoticeAge = Objects.requireNonNull(maxNoticeAge, "maxNoticeAge");
    }

    /** Samples only (tests, remote_write mapping): notices may be 15 minutes old, the service's default. */
    public SampleValidator(Clock clock, Duration maxClockSkew) {
        this(clock, maxClockSkew, Duration.ofMinutes(15));
    }

    public Clock clock() {
        return clock;
    }

    /** How far ahead of {@link #clock()} a reading may be stamped. */
    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    /** Parses and validates one agent sample: parsed once, each rule checked once. */
    public Verdict<NodeMetric> validate(byte[] json) {
        NodeMetric metric;
        try {
            // The contract's own rules come first in violationsAt, so the first violation reported is the same.
            metric = ContractJson.readUnchecked(json, NodeMetric.class);
        } catch (ContractViolationException e) {
            return Verdict.Rejected.of(e);
        }
        return validate(metric);
    }

    /** Validates a sample built by a door from another format (remote_write, counter rates). */
    public Verdict<NodeMetric> validate(NodeMetric metric) {
        List<Violation> violations = metric.violationsAt(clock.instant(), maxClockSkew);
        return violations.isEmpty() ? new Verdict.Accepted<>(metric) : Verdict.Rejected.first(violations);
    }

    /** Parses and validates an interruption notice: the contract's rules plus {@code noticeAt} near the clock. */
    public Verdict<Interruption> validateInterruption(byte[] json) {
        Interruption notice;
        try {
            notice = ContractJson.read(json, Interruption.class);
        } catch (ContractViolationException e) {
            return Verdict.Rejected.of(e);
        }
        List<Violation> violations = notice.violationsAt(clock.instant(), maxNoticeAge, maxClockSkew);
        return violations.isEmpty() ? new Verdict.Accepted<>(notice) : Verdict.Rejected.first(violations);
    }

    /** Parses and validates any other contract value; no clock rule applies. */
    public <T> Verdict<T> validate(byte[] json, Class<T> type) {
        try {
            return new Verdict.Accepted<>(ContractJson.read(json, type));
        } catch (ContractViolationException e) {
            return Verdict.Rejected.of(e);
        }
    }
}
