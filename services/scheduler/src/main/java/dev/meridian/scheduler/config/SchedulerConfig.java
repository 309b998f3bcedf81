package dev.meridian.scheduler.config;

import dev.meridian.policy.routing.RoutingSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

/** The scheduler's settings; defaults in {@code application.properties} say the same as here. */
@ConfigMapping(prefix = "meridian.scheduler")
public interface SchedulerConfig {

    /** Regions whose nodes this instance weighs one by one; every other region is weighed by its pool aggregates. */
    Set<String> homeRegions();

    /** ce_source of the published weights. */
    @WithDefault("/meridian/scheduler")
    String source();

    /** Decide again at least this often, even without input, so staleness and heartbeats are never late. */
    @WithDefault("1s")
    Duration tick();

    /** How often new mirrored topics ({@code <alias>.meridian.utilization.pool.v1}, latency) are looked for. */
    @WithDefault("10s")
    Duration topicDiscovery();

    /**
     * How far back utilization is read on start: older windows are stale anyway, so a restart needs only this much
     * of the (7-day) topics. At least the staleness timeout.
     */
    @WithDefault("2m")
    Duration utilizationLookback();

    /** How far back DRAIN commands and interruption notices are read on start, and how long they are remembered. */
    @WithDefault("1h")
    Duration commandLookback();

    Routing routing();

    Eds eds();

    /** Envoy EDS: where the endpoints of a locality are. */
    interface Eds {
        /** Host of a non-home region's entry point, {@code %s} = the region (no node weights there). */
        @WithDefault("gateway.%s.meridian.internal")
        String gatewayFormat();

        /**
         * Host of a home-region node, {@code {node}} and {@code {region}} replaced: node records (fleet.nodes,
         * utilization.node) carry ids, not addresses, so the address is derived from the id by this template.
         */
        @WithDefault("{node}.{region}.meridian.internal")
        String nodeFormat();

        /**
         * Resolve host names to IP addresses before answering: Envoy takes only IP addresses in an EDS cluster's
         * endpoints. Off only for an Envoy with a custom {@code resolver_name} that resolves names itself.
         */
        @WithDefault("true")
        boolean resolve();

        /** Port of nodes and gateways. */
        @WithDefault("8080")
        int port();
    }

    /** {@link RoutingSettings}: damping, heartbeat and staleness. */
    interface Routing {
        @WithDefault("10s")
        Duration interval();

        @WithDefault("30s")
        Duration heartbeat();

        @WithDefault("30s")
        Duration stalenessTimeout();

        @WithDefault("0.1")
        double maxStep();

        @WithDefault("0.05")
        double epsilon();

        default RoutingSettings toSettings() {
            RoutingSettings d = RoutingSettings.DEFAULTS;
            return new RoutingSettings(interval(), maxStep(), epsilon(), d.nodeMaxStep(), d.nodeEpsilon(),
                    heartbeat(), stalenessTimeout(), d.saturationThreshold(), d.latencyFloorMs());
        }
    }
}
