package dev.meridian.fleetsim.traffic;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A day of traffic per region in the region's own time zone, plus bursts.
 *
 * <p>Diurnal: {@code peak · (trough + (1 − trough) · (1 − cos(2π (h − 4) / 24)) / 2)} at local hour {@code h}: lowest
 * at 04:00, highest at 16:00. Bursts: in every hour of every region, a number of bursts drawn from a Poisson
 * distribution with mean {@code burstsPerHour}, each starting at a uniform instant of that hour, lasting
 * {@code burstLength} and multiplying demand by {@code burstFactor} (overlapping bursts multiply). The draws depend
 * only on the seed, region and hour, so any instant always has the same demand.
 *
 * @param zones       time zone per region; a region not listed runs on UTC
 * @param peaks       peak tokens per second per region; a region not listed peaks at {@code defaultPeak}
 */
public record SyntheticDay(Map<String, ZoneId> zones, Map<String, Double> peaks, double defaultPeak, double trough,
        double burstsPerHour, Duration burstLength, double burstFactor, long seed) implements TrafficSource {

    /** The seed regions' time zones. */
    public static final Map<String, ZoneId> SEED_ZONES = Map.of(
            "us-east", ZoneId.of("America/New_York"),
            "us-west", ZoneId.of("America/Los_Angeles"),
            "eu-west", ZoneId.of("Europe/Dublin"),
            "eu-central", ZoneId.of("Europe/Berlin"),
            "ap-southeast", ZoneId.of("Asia/Singapore"));

    /** Peak 9,000 tokens/s per region, night at 30 % of it, two bursts an hour of 3 minutes at 1.6×. */
    public static final SyntheticDay DEFAULT = new SyntheticDay(SEED_ZONES, Map.of(), 9_000, 0.3, 2,
            Duration.ofMinutes(3), 1.6, 42);

    private static final int MAX_POINTS = 60;

    public SyntheticDay {
        zones = Map.copyOf(zones);
        peaks = Map.copyOf(peaks);
        Objects.requireNonNull(burstLength, "burstLength");
        if (!(defaultPeak >= 0) || !(trough >= 0 && trough <= 1) || !(burstsPerHour >= 0) || !(burstFactor > 0)) {
            throw new IllegalArgumentException("need peak >= 0, 0 <= trough <= 1, bursts >= 0 and factor > 0");
        }
    }

    public SyntheticDay withPeaks(double defaultPeakTokens, Map<String, Double> perRegion) {
        return new SyntheticDay(zones, perRegion, defaultPeakTokens, trough, burstsPerHour, burstLength, burstFactor,
                seed);
    }

    public SyntheticDay withBursts(double perHour, Duration length, double factor) {
        return new SyntheticDay(zones, peaks, defaultPeak, trough, perHour, length, factor, seed);
    }

    public SyntheticDay withSeed(long newSeed) {
        return new SyntheticDay(zones, peaks, defaultPeak, trough, burstsPerHour, burstLength, burstFactor, newSeed);
    }

    /** Sampled at up to 60 evenly spaced midpoints of the interval. */
    @Override
    public double tokensPerSecond(String region, Instant start, Instant from, Duration length) {
        long nanos = Math.max(1, length.toNanos());
        int points = (int) Math.min(MAX_POINTS, Math.max(1, Math.ceil(nanos / 1e9)));
        double sum = 0;
        for (int i = 0; i < points; i++) {
            sum += at(region, from.plusNanos((long) ((i + 0.5) * nanos / points)));
        }
        return sum / points;
    }

    /** Demand at one instant. */
    public double at(String region, Instant instant) {
        ZonedDateTime local = instant.atZone(zones.getOrDefault(region, ZoneId.of("UTC")));
        double hour = local.getHour() + local.getMinute() / 60.0 + local.getSecond() / 3600.0;
        double diurnal = trough + (1 - trough) * (1 - Math.cos(2 * Math.PI * (hour - 4) / 24)) / 2;
        return peaks.getOrDefault(region, defaultPeak) * diurnal * burst(region, instant);
    }

    private double burst(String region, Instant instant) {
        if (burstsPerHour <= 0 || burstLength.isZero()) {
            return 1;
        }
        long hour = Math.floorDiv(instant.getEpochSecond(), 3600);
        double factor = 1;
        // A burst that starts late in an hour reaches into the following hours.
        long reach = Math.max(1, (burstLength.toSeconds() + 3599) / 3600);
        for (long h = hour - reach; h <= hour; h++) {
            Random random = new Random(seed * 31 + region.hashCode() * 1_000_003L + h);
            int count = poisson(random, burstsPerHour);
            for (int i = 0; i < count; i++) {
                long startSecond = h * 3600 + (long) (random.nextDouble() * 3600);
                long second = instant.getEpochSecond();
                if (second >= startSecond && second < startSecond + burstLength.toSeconds()) {
                    factor *= burstFactor;
                }
            }
        }
        return factor;
    }

    /** Knuth's method: fine for the small means of bursts per hour. */
    private static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }
}
