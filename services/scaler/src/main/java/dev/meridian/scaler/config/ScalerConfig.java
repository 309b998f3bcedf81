package dev.meridian.scaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every {@code meridian.scaler.*} knob; documented in the service README. */
@ConfigMapping(prefix = "meridian.scaler")
public interface ScalerConfig {

    /** Regions whose pools this instance scales; pools of other regions (mirrored or not) are never acted on. */
    List<String> homeRegions();

    /** ce_source of the commands published. */
    @WithDefault("/meridian/scaler")
    String source();

    /** How often time-driven decisions (a due SCALE_IN, an expired request) are checked, by wall clock. */
    @WithDefault("1s")
    Duration tick();

    /** Service-wide policy values the registry's per-pool overrides do not cover. */
    Policy policy();

    /** The optional actuator that applies commands itself. */
    Actuator actuator();

    /** Operators' actions: the API that takes them and the results it reports. */
    Actions actions();

    interface Actions {

        /** How long the API waits for the broker to acknowledge an action before answering 503. */
        @WithDefault("5s")
        Duration publishTimeout();

        /** The furthest end an action may name: a hold forgotten for a year is a mistake, not a plan. */
        @WithDefault("30d")
        Duration maxHold();

        /** How many actions (with their results) the API remembers for {@code GET /v1/actions}. */
        @WithDefault("10000")
        int remembered();

        /**
         * An action older than this when the scaler takes it up (a replay of the compacted topic by a fresh
         * instance) still sets its holds but publishes no result again: its result was published when it was new.
         * Long enough that no lag or restore delays a new action past it; a replay inside it publishes the same
         * result again under the same CloudEvents id, which the audit drops.
         */
        @WithDefault("24h")
        Duration resultWindow();
    }

    interface Actuator {

        Kubernetes kubernetes();

        interface Kubernetes {

            /** Off by default: operators usually consume the commands topic with their own tooling. */
            @WithDefault("false")
            boolean enabled();

            /** {@code "region/pool"} → {@code namespace/deployment}; commands of unmapped pools are skipped. */
            Map<String, String> deployments();

            /** Consumer group of the actuator (read_committed, offsets committed after applying). */
            @WithDefault("meridian-scaler-actuator")
            String groupId();
        }
    }

    interface Policy {

        /** Nodes one decision may add or remove at most. */
        @WithDefault("4")
        int maxStep();

        /** Between DRAIN and SCALE_IN: time for in-flight requests to finish. */
        @WithDefault("60s")
        Duration drainPeriod();

        /** Requested capacity not arrived after this is given up and may be asked for again (cold start ~85 s). */
        @WithDefault("5m")
        Duration provisioningTimeout();

        /** Optional combined scale-out condition: average queue depth at least this as well. */
        Optional<Double> queueDepthThreshold();

        /** Optional combined scale-out condition: average KV-cache occupancy (percent) at least this as well. */
        Optional<Double> kvCacheThreshold();
    }
}
