package dev.meridian.scaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
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
