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
 * does not cover is a bad item like any other ({@value RegionPermit#RULE}): never published. Bounded per request: the
 * answer lists at most {@code http.max-listed-errors} item errors (the counts stay exact) and the DLQ gets at most
 * {@code http.max-dead-letters-per-request} records, one per rejected item ({@link DeadLetterBudget}).
 */
@ApplicationScoped
public class SampleIntake {

    private final SampleValidator validator;
    private final IntakePublisher publisher;
    private final IntakeMetrics metrics;
    private final Duration deliveryTimeout;
    private final int maxListedErrors;
    private final int maxDeadLetters;

    SampleIntake(SampleValidator validator, IntakePublisher publisher, IntakeMetrics metrics, IngestConfig config) {
        this.validator = validator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.deliveryTimeout = config.intake().deliveryTimeout();
        this.maxListedErrors = config.http().maxListedErrors();
        this.maxDeadLetters = config.http().maxDeadLettersPerRequest();
    }

    /** NodeMetric samples: accepted ones to metrics.raw, marked validated, rejected ones to the DLQ and the report. */
    public IntakeReport samples(List<BatchItem> items, RegionPermit permit) {
        List<CompletableFuture<?>> acks = new ArrayList<>(items.size());
        List<IntakeReport.ItemError> errors = new ArrayList<>();
        DeadLetterBudget deadLetters = new DeadLetterBudget(publisher, Door.HTTP, maxDeadLetters, acks);
        int rejectedCount = 0;
        for (BatchItem item : items) {
            Verdict<NodeMetric> verdict = permit.screen(validator.validate(item.bytes()), "region", NodeMetric::region);
            if (verdict instanceof Verdict.Accepted<NodeMetric> accepted) {
                acks.add(Acks.failFast(publisher.validatedSample(accepted.value(), item.bytes())));
                metrics.accepted(Door.HTTP);
            } else {
                Verdict.Rejected<NodeMetric> rejected = (Verdict.Rejected<NodeMetric>) verdict;
                deadLetters.deadLetter(item.index(), null, item.bytes(), rejected);
                metrics.rejected(Door.HTTP, rejected.rule());
                rejectedCount++;
                list(errors, item, rejected);
            }
        }
        deadLetters.finish();
        Acks.await(acks, deliveryTimeout);
        return IntakeReport.of(items.size() - rejectedCount, rejectedCount, errors);
    }

    /**
     * Spot interruption notices. An invalid one is only reported: a node-termination handler that gets an error
     * answer can act on it, unlike an agent writing to Kafka. A valid notice of a region outside the token is also
     * dead-lettered, so nothing well-formed is lost.
     */
    public IntakeReport interruptions(List<BatchItem> items, RegionPermit permit, AuthContext submitter) {
        List<CompletableFuture<?>> acks = new ArrayList<>(items.size());
        List<IntakeReport.ItemError> errors = new ArrayList<>();
        DeadLetterBudget deadLetters = new DeadLetterBudget(publisher, Door.INTERRUPTIONS, maxDeadLetters, acks);
        int rejectedCount = 0;
        for (BatchItem item : items) {
            Verdict<Interruption> verdict = permit.screen(validator.validateInterruption(item.bytes()), "region",
                    Interruption::region);
            if (verdict instanceof Verdict.Accepted<Interruption> accepted) {
                acks.add(Acks.failFast(publisher.interruption(accepted.value(), submitter)));
                metrics.accepted(Door.INTERRUPTIONS);
            } else {
                Verdict.Rejected<Interruption> rejected = (Verdict.Rejected<Interruption>) verdict;
                metrics.rejected(Door.INTERRUPTIONS, rejected.rule());
                rejectedCount++;
                list(errors, item, rejected);
                if (RegionPermit.RULE.equals(rejected.rule())) {
                    // A valid notice for a region the caller may not act on: kept, with the reason, not lost.
                    deadLetters.deadLetter(item.index(), null, item.bytes(), rejected);
                }
            }
        }
        deadLetters.finish();
        Acks.await(acks, deliveryTimeout);
        return IntakeReport.of(items.size() - rejectedCount, rejectedCount, errors);
    }

    /** Lists the item's error while the list is below its cap; beyond it the item is only counted. */
    private void list(List<IntakeReport.ItemError> errors, BatchItem item, Verdict.Rejected<?> rejected) {
        if (errors.size() < maxListedErrors) {
            errors.add(new IntakeReport.ItemError(item.index(), rejected.field(), rejected.rule(), rejected.reason()));
        }
    }
}
