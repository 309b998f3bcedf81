package dev.meridian.fleetsim.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Replays a request trace as every region's demand: at {@code start} each region is {@code shift} into the trace and
 * runs through it at its pace, times its {@code multiplier}, starting over at the end (so shifts wrap around the
 * trace length). A region without its own settings uses the defaults.
 */
public final class TraceReplay implements TrafficSource {

    /**
     * @param shift      how far into the trace the region is at the start (a region "later in its day")
     * @param multiplier scales the region's request rate
     */
    public record RegionReplay(Duration shift, double multiplier) {

        public static final RegionReplay AS_RECORDED = new RegionReplay(Duration.ZERO, 1);

        public RegionReplay {
            Objects.requireNonNull(shift, "shift");
            if (!(multiplier >= 0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a number >= 0, was " + multiplier);
            }
        }

        public RegionReplay withShift(Duration other) {
            return new RegionReplay(other, multiplier);
        }

        public RegionReplay withMultiplier(double other) {
            return new RegionReplay(shift, other);
        }
    }

    private final AzureTrace trace;
    private final double[] perSecond;
    /** prefix[i] = tokens of seconds 0..i-1. */
    private final double[] prefix;
    private final Map<String, RegionReplay> regions;
    private final RegionReplay defaults;

    public TraceReplay(AzureTrace trace, Map<String, RegionReplay> regions, RegionReplay defaults) {
        this.trace = Objects.requireNonNull(trace, "trace");
        this.regions = Map.copyOf(regions);
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.perSecond = trace.perSecond();
        this.prefix = new double[perSecond.length + 1];
        for (int i = 0; i < perSecond.length; i++) {
            prefix[i + 1] = prefix[i] + perSecond[i];
        }
    }

    public AzureTrace trace() {
        return trace;
    }

    public RegionReplay settings(String region) {
        return regions.getOrDefault(region, defaults);
    }

    @Override
    public double tokensPerSecond(String region, Instant start, Instant from, Duration length) {
        RegionReplay replay = settings(region);
        double a = seconds(Duration.between(start, from).plus(replay.shift()));
        double b = a + seconds(length);
        if (b <= a) {
            return replay.multiplier() * perSecond[(int) Math.floorMod((long) Math.floor(a), (long) perSecond.length)];
        }
        return replay.multiplier() * (integral(b) - integral(a)) / (b - a);
    }

    /** Tokens of the endlessly repeated trace from its beginning to {@code x} seconds (negative x: before it). */
    private double integral(double x) {
        int length = perSecond.length;
        double laps = Math.floor(x / length);
        double within = x - laps * length;
        int second = Math.min(length - 1, (int) Math.floor(within));
        return laps * prefix[length] + prefix[second] + (within - second) * perSecond[second];
    }

    private static double seconds(Duration duration) {
        return duration.getSeconds() + duration.getNano() / 1e9;
    }
}
