package dev.meridian.fleetsim.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Round-trip times between regions, in milliseconds, directional (from the client region to the serving region).
 *
 * <p>The defaults are measured averages between the five AWS regions behind the seed's region names (2017,
 * "Latency Between AWS Global Regions", as tabulated on the blog "A Computer Scientist Learns AWS"): us-east-1 →
 * us-east, us-west-2 → us-west, eu-west-1 → eu-west, eu-central-1 → eu-central, ap-southeast-1 → ap-southeast. A
 * client in the serving region itself sees about 1–2 ms (round trips between availability zones of one region
 * measure 0.25–3.4 ms, "Measuring AWS Region and AZ Latency"): 1.5 ms here. A pair the table does not know gets
 * {@link #UNKNOWN_PAIR_MS}.
 */
public final class LatencyTable {

    public static final double SAME_REGION_MS = 1.5;
    public static final double UNKNOWN_PAIR_MS = 150.0;

    private static final Map<String, Double> AWS_2017 = Map.ofEntries(
            pair("us-east", "us-west", 86.98), pair("us-east", "eu-west", 80.55),
            pair("us-east", "eu-central", 88.66), pair("us-east", "ap-southeast", 216.7),
            pair("us-west", "us-east", 88.68), pair("us-west", "eu-west", 137),
            pair("us-west", "eu-central", 159.5), pair("us-west", "ap-southeast", 161.4),
            pair("eu-west", "us-east", 80.52), pair("eu-west", "us-west", 137),
            pair("eu-west", "eu-central", 19.56), pair("eu-west", "ap-southeast", 239),
            pair("eu-central", "us-east", 88.62), pair("eu-central", "us-west", 159.5),
            pair("eu-central", "eu-west", 19.55), pair("eu-central", "ap-southeast", 325.9),
            pair("ap-southeast", "us-east", 216.7), pair("ap-southeast", "us-west", 161.4),
            pair("ap-southeast", "eu-west", 238.1), pair("ap-southeast", "eu-central", 325.9));

    private final Map<String, Double> rtt;

    private LatencyTable(Map<String, Double> rtt) {
        this.rtt = Map.copyOf(rtt);
    }

    public static LatencyTable defaults() {
        return new LatencyTable(AWS_2017);
    }

    /** A table of {@code from/to → ms} pairs; same-region and unknown pairs as for the defaults. */
    public static LatencyTable of(Map<String, Double> pairs) {
        return new LatencyTable(pairs);
    }

    public LatencyTable with(String from, String to, double ms) {
        Map<String, Double> next = new HashMap<>(rtt);
        next.put(from + "/" + to, ms);
        return new LatencyTable(next);
    }

    public double rttMs(String from, String to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) {
            return rtt.getOrDefault(from + "/" + to, SAME_REGION_MS);
        }
        return rtt.getOrDefault(from + "/" + to, UNKNOWN_PAIR_MS);
    }

    /** Every ordered pair of {@code regions}, self pairs included (routing needs the client's own region too). */
    public <T> List<T> probes(Collection<String> regions, BiFunction<String, String, T> probe) {
        List<T> all = new ArrayList<>();
        for (String from : regions) {
            for (String to : regions) {
                all.add(probe.apply(from, to));
            }
        }
        return all;
    }

    private static Map.Entry<String, Double> pair(String from, String to, double ms) {
        return Map.entry(from + "/" + to, ms);
    }
}
