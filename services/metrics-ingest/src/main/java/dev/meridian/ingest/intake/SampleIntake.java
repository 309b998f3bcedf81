package dev.meridian.ingest.intake;

import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP doors behind the resources: validate every item, publish the good ones, dead-letter the bad samples,
 * and return only after the broker acknowledged all of it. An item of a region the caller's {@link RegionPermit}
 * does not cover is a bad item like any other ({@value RegionPermit#RULE}): never published.
 */
@ApplicationScoped
public class SampleIntake {

    private final SampleValidator validator;
    private final IntakePublisher publisher;
    private final IntakeMetrics metrics;
    private final Duration deliveryTimeout;

    SampleIntake(SampleValidator validator, IntakePublisher publisher, IntakeMetrics metrics, IngestConfig config) {
        this.validator = validator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.deliveryTimeout = config.intake().deliveryTimeout();
    }

    /** NodeMetric samples: accepted ones to metrics.raw, marked validated, rejected ones to the DLQ and the report. */
    public IntakeReport samples(List<BatchItem> items, RegionPermit permit) {
        List<CompletableFuture<?>> acks = new ArrayList<>(items.size());
        List<IntakeReport.ItemError> errors = new ArrayList<>();
        for (BatchItem item : items) {
            Verdict<NodeMetric> verdict = permit.screen(validator.validate(item.bytes()), "region", NodeMetric::region);
            if (verdict instanceof Verdict.Accepted<NodeMetric> accepted) {
                acks.add(Acks.failFast(publisher.validatedSample(accepted.value(), item.bytes())));
                metrics.accepted(Door.HTTP);
            } else {
                Verdict.Rejected<NodeMetric> rejected = (Verdict.Rejected<NodeMetric>) verdict;
                acks.add(Acks.failFast(publisher.deadLetter(null, item.bytes(), rejected, Door.HTTP)));
                metrics.rejected(Door.HTTP, rejected.rule());
                errors.add(error(item, rejected));
            }
        }
        Acks.await(acks, deliveryTimeout);
        return new IntakeReport(items.size() - errors.size(), errors.size(), List.copyOf(errors));
    }

    /**
     * Spot interruption notices. An invalid one is only reported: a node-termination handler that gets an error
     * answer can act on it, unlike an agent writing to Kafka. A valid notice of a region outside the token is also
     * dead-lettered, so nothing well-formed is lost.
     */
    public IntakeReport interruptions(List<BatchItem> items, RegionPermit permit, AuthContext submitter) {
        List<CompletableFuture<?>> acks = new ArrayList<>(items.size());
        List<IntakeReport.ItemError> errors = new ArrayList<>();
        for (BatchItem item : items) {
            Verdict<Interruption> verdict = permit.screen(validator.validateInterruption(item.bytes()), "region",
                    Interruption::region);
            if (verdict instanceof Verdict.Accepted<Interruption> accepted) {
                acks.add(Acks.failFast(publisher.interruption(accepted.value(), submitter)));
                metrics.accepted(Door.INTERRUPTIONS);
            } else {
                Verdict.Rejected<Interruption> rejected = (Verdict.Rejected<Interruption>) verdict;
                metrics.rejected(Door.INTERRUPTIONS, rejected.rule());
                errors.add(error(item, rejected));
                if (RegionPermit.RULE.equals(rejected.rule())) {
                    // A valid notice for a region the caller may not act on: kept, with the reason, not lost.
                    acks.add(Acks.failFast(publisher.deadLetter(null, item.bytes(), rejected, Door.INTERRUPTIONS)));
                }
            }
        }
        Acks.await(acks, deliveryTimeout);
        return new IntakeReport(items.size() - errors.size(), errors.size(), List.copyOf(errors));
    }

    private static IntakeReport.ItemError error(BatchItem item, Verdict.Rejected<?> rejected) {
        return new IntakeReport.ItemError(item.index(), rejected.field(), rejected.rule(), rejected.reason());
    }
}
