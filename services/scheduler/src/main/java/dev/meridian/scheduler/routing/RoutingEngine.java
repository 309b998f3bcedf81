package dev.meridian.scheduler.routing;

import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.policy.routing.Decision;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.routing.RoutingPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs {@link RoutingPolicy} for every client region and remembers what was published, so that the next decision
 * damps against it and versions continue. Owned by one thread; no clock of its own.
 */
public final class RoutingEngine {

    private final RoutingPolicy policy;
    private final Map<String, RoutingWeights> published = new HashMap<>();

    public RoutingEngine(RoutingPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** What a round decided: the versions to publish, and when to decide again at the latest. */
    public record Round(List<Decision.Publish> publish, Instant nextCheckAt) {
    }

    /** Seeds the last published version per client region (read back from the compacted topic on start). */
    public void restore(Map<String, RoutingWeights> lastPublished) {
        published.putAll(lastPublished);
    }

    /**
     * Decides for each of {@code clientRegions}, against what was {@linkplain #confirm confirmed} as published. A
     * returned version is only a candidate: until the caller confirms it (once written), the next round decides
     * against the previous one again, so a version that failed to be written is retried with the same number.
     */
    public Round decide(Set<String> clientRegions, Residency residency, InputState state, Instant now) {
        List<Decision.Publish> toPublish = new ArrayList<>();
        Instant next = null;
        for (String client : clientRegions) {
            Decision decision = policy.decide(state.inputsFor(client, residency), published.get(client), now);
            if (decision instanceof Decision.Publish publish) {
                toPublish.add(publish);
            }
            if (next == null || decision.nextCheckAt().isBefore(next)) {
                next = decision.nextCheckAt();
            }
        }
        return new Round(toPublish, next);
    }

    /** The versions of a round are on the topic: later decisions damp against them and continue their numbers. */
    public void confirm(List<Decision.Publish> written) {
        for (Decision.Publish publish : written) {
            published.put(publish.weights().clientRegion(), publish.weights());
        }
    }

    public Map<String, RoutingWeights> published() {
        return Map.copyOf(published);
    }
}
