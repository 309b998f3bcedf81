package dev.meridian.fleetsim.whatif;

import dev.meridian.policy.routing.RoutingSettings;
import dev.meridian.policy.scaling.ScalingSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * One set of policy parameters to replay: the scaler's service-wide settings (the registry's per-pool overrides still
 * apply on top, as in the scaler) and the scheduler's routing settings.
 *
 * <p>A properties file names only what differs from the defaults; an unknown key is an error, so a typo cannot
 * silently replay the defaults:
 * <pre>
 * name=eager                     # column title; default: the file name
 * scale-out-utilization=70       # percent (default 80)
 * scale-in-utilization=30        # percent (default 30)
 * target-utilization=55          # percent (default 60)
 * memory-resize-utilization=95   # percent (default 95)
 * sustain-windows=3              # 10 s windows (default 3)
 * stabilization=5m               # (default 5m)
 * cooldown=5m                    # (default 5m)
 * max-step=4                     # nodes per decision (default 4)
 * drain-period=60s               # (default 60s)
 * provisioning-timeout=5m        # (default 5m)
 * routing.max-step=0.1           # (default 0.1)
 * routing.epsilon=0.05           # (default 0.05)
 * routing.interval=10s           # (default 10s)
 * routing.heartbeat=30s          # (default 30s)
 * </pre>
 */
public record PolicySet(String name, ScalingSettings scaling, RoutingSettings routing) {

    private static final Set<String> KEYS = Set.of("name", "scale-out-utilization", "scale-in-utilization",
            "target-utilization", "memory-resize-utilization", "sustain-windows", "stabilization", "cooldown",
            "max-step", "drain-period", "provisioning-timeout", "routing.max-step", "routing.epsilon",
            "routing.interval", "routing.heartbeat");

    public PolicySet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scaling, "scaling");
        Objects.requireNonNull(routing, "routing");
    }

    /** What the services run with unless configured otherwise. */
    public static PolicySet defaults() {
        return new PolicySet("defaults", ScalingSettings.DEFAULTS, RoutingSettings.DEFAULTS);
    }

    /** This set with another scale-out threshold, named after it. */
    public PolicySet withScaleOut(double percent) {
        return new PolicySet("scale-out " + WhatIfReport.percent(percent), scaling.withThresholds(percent,
                scaling.scaleInUtilization(), scaling.targetUtilization()), routing);
    }

    public static PolicySet read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy file " + file, e);
        }
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return of(properties, dot > 0 ? fileName.substring(0, dot) : fileName);
    }

    /**
     * @throws IllegalArgumentException for an unknown key, a value that does not parse, or settings the policies
     *                                  refuse (e.g. scale-in not below target)
     */
    public static PolicySet of(Properties properties, String defaultName) {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown policy key(s) " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        ScalingSettings d = ScalingSettings.DEFAULTS;
        ScalingSettings scaling = d.withThresholds(
                        number(properties, "scale-out-utilization", d.scaleOutUtilization()),
                        number(properties, "scale-in-utilization", d.scaleInUtilization()),
                        number(properties, "target-utilization", d.targetUtilization()))
                .withMemoryResizeUtilization(number(properties, "memory-resize-utilization",
                        d.memoryResizeUtilization()))
                .withSustainWindows((int) number(properties, "sustain-windows", d.sustainWindows()))
                .withScaleInTiming(duration(properties, "stabilization", d.stabilization()),
                        duration(properties, "cooldown", d.cooldown()))
                .withMaxStep((int) number(properties, "max-step", d.maxStep()))
                .withDeadlines(duration(properties, "drain-period", d.drainPeriod()),
                        duration(properties, "provisioning-timeout", d.provisioningTimeout()));
        RoutingSettings r = RoutingSettings.DEFAULTS;
        RoutingSettings routing = r.withDamping(number(properties, "routing.max-step", r.maxStep()),
                        number(properties, "routing.epsilon", r.epsilon()))
                .withTiming(duration(properties, "routing.interval", r.interval()),
                        duration(properties, "routing.heartbeat", r.heartbeat()), r.stalenessTimeout());
        return new PolicySet(properties.getProperty("name", defaultName).strip(), scaling, routing);
    }

    private static double number(Properties properties, String key, double fallback) {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.strip().replace("%", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + value + "'");
        }
    }

    private static Duration duration(Properties properties, String key, Duration fallback) {
        String value = properties.getProperty(key);
        try {
            return value == null ? fallback : Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }
}
