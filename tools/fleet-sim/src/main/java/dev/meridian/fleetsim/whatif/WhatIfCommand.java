package dev.meridian.fleetsim.whatif;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.fleetsim.model.CapacityTable;
import dev.meridian.fleetsim.model.Delays;
import dev.meridian.fleetsim.model.LatencyTable;
import dev.meridian.fleetsim.traffic.AzureTrace;
import dev.meridian.fleetsim.traffic.SyntheticDay;
import dev.meridian.fleetsim.traffic.TraceReplay;
import dev.meridian.fleetsim.traffic.TraceReplay.RegionReplay;
import dev.meridian.fleetsim.traffic.TrafficSource;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.Region;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code ./meridian what-if}: replays traffic through the fleet simulator and the libs/policy code on a simulated
 * clock, for one or two policy sets side by side.
 */
@Command(name = "what-if", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay traffic through the simulated fleet and Meridian's own windowing, scaling, routing and "
                + "cost policies on a simulated clock, and compare one or two policy sets side by side.",
                "Default fleet: the registry seed (5 regions, 11 pools)."})
public final class WhatIfCommand implements Callable<Integer> {

    static final String AZURE_ATTRIBUTION = "Azure LLM inference trace 2023 (Microsoft Azure Public Dataset, "
            + "CC-BY 4.0; Patel et al., \"Splitwise\", ISCA 2024)";

    @Option(names = "--trace", paramLabel = "<csv>", description = "Replay a request trace in the Azure LLM inference "
            + "CSV format (TIMESTAMP, ContextTokens, GeneratedTokens) in every region; default: a synthetic day.")
    Path trace;

    @Option(names = "--rate", paramLabel = "<x>", defaultValue = "1",
            description = "Trace: multiply every region's request rate (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--region-rate", paramLabel = "<region=x>", description = "Trace: one region's multiplier "
            + "instead of --rate, e.g. --region-rate us-west=0.5 (repeatable).")
    Map<String, Double> regionRates = new LinkedHashMap<>();

    @Option(names = "--shift", paramLabel = "<region=duration>", converter = {TextConverter.class,
            DurationConverter.class}, description = "Trace: how far into the trace a region starts, e.g. "
            + "--shift eu-west=20m (repeatable; wraps around the trace).")
    Map<String, Duration> shifts = new LinkedHashMap<>();

    @Option(names = "--stagger", paramLabel = "<duration>", defaultValue = "0s", converter = DurationConverter.class,
            description = "Trace: shift the n-th region (by name) n times this, unless --shift names it "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration stagger;

    @Option(names = "--peak", paramLabel = "<tokens/s>", defaultValue = "9000",
            description = "Synthetic day: each region's peak demand (default: ${DEFAULT-VALUE}).")
    double peak;

    @Option(names = "--duration", paramLabel = "<duration>", defaultValue = "1h", converter = DurationConverter.class,
            description = "Simulated time to replay (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--start", paramLabel = "<instant>", defaultValue = "2026-11-16T18:00:00Z",
            description = "Simulated start (UTC): budget month, price period, local time of day "
                    + "(default: ${DEFAULT-VALUE}).")
    Instant start;

    @Option(names = "--policy", paramLabel = "<file>", description = "A policy set as properties (see README); "
            + "give it twice to compare two.")
    List<Path> policyFiles = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "<percent>",
            description = "Scale-out threshold of the (first) policy set (default: 80).")
    Double threshold;

    @Option(names = "--compare-threshold", paramLabel = "<percent>",
            description = "Add a second policy set: the first with this scale-out threshold.")
    Double compareThreshold;

    @Option(names = "--budget-used", paramLabel = "<percent>", defaultValue = "0",
            description = "Spend before the run: a month on track for this percentage of every budget "
                    + "(default: ${DEFAULT-VALUE}).")
    double budgetUsed;

    @Option(names = "--no-warm-pools", description = "Run every pool without its warm pool (warm size 0).")
    boolean noWarmPools;

    @Option(names = "--capacity", paramLabel = "<type=tokens/s>", description = "Tokens per second of an instance "
            + "type, e.g. --capacity g5.48xlarge=4000 (repeatable).")
    Map<String, Double> capacity = new LinkedHashMap<>();

    @Option(names = "--cold-start", paramLabel = "<duration>", defaultValue = "85s", converter = DurationConverter.class,
            description = "SCALE_OUT / REPLACE / RESIZE until the capacity serves (default: ${DEFAULT-VALUE}).")
    Duration coldStart;

    @Option(names = "--warm-start", paramLabel = "<duration>", defaultValue = "10s", converter = DurationConverter.class,
            description = "ACTIVATE_WARM until the node serves (default: ${DEFAULT-VALUE}).")
    Duration warmStart;

    @Option(names = "--spot-rate", paramLabel = "<per node-hour>", defaultValue = "0.2",
            description = "Spot interruption notices per spot node-hour (default: ${DEFAULT-VALUE}).")
    double spotRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seeds bursts and interruptions "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    private final PrintWriter out;

    public WhatIfCommand() {
        this(new PrintWriter(System.out, true));
    }

    WhatIfCommand(PrintWriter out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new WhatIfCommand()).execute(args));
    }

    /** The command with its error handling: a refused setting or an unreadable trace is one line, exit code 2. */
    static CommandLine commandLine(WhatIfCommand command) {
        return new CommandLine(command).setExecutionExceptionHandler((e, line, parsed) -> {
            if (!(e instanceof IllegalArgumentException || e instanceof UncheckedIOException)) {
                throw e;
            }
            line.getErr().println("what-if: " + e.getMessage());
            return 2;
        });
    }

    @Override
    public Integer call() {
        FleetSnapshot fleet = noWarmPools ? SeedFleet.withoutWarmPools(SeedFleet.snapshot()) : SeedFleet.snapshot();
        Scenario scenario = scenario(fleet);
        List<PolicySet> policies = policies();
        List<WhatIfResult> results = WhatIf.compare(scenario, policies);
        out.print(WhatIfReport.render(scenario, policies, results));
        out.flush();
        return 0;
    }

    Scenario scenario(FleetSnapshot fleet) {
        TrafficSource traffic;
        String name;
        if (trace != null) {
            if (!Files.isReadable(trace)) {
                throw new IllegalArgumentException("cannot read trace " + trace);
            }
            AzureTrace read = AzureTrace.read(trace);
            Map<String, RegionReplay> regions = new LinkedHashMap<>();
            List<String> names = fleet.regions().stream().map(Region::name).toList();
            for (int i = 0; i < names.size(); i++) {
                String region = names.get(i);
                regions.put(region, new RegionReplay(shifts.getOrDefault(region, stagger.multipliedBy(i)),
                        regionRates.getOrDefault(region, rate)));
            }
            traffic = new TraceReplay(read, regions, new RegionReplay(Duration.ZERO, rate));
            name = String.format(Locale.ROOT, "%s, %,d requests over %s, rate × %s%s — %s", trace.getFileName(),
                    read.requests(), Durations.format(Duration.ofSeconds(read.seconds())), trim(rate),
                    stagger.isZero() && shifts.isEmpty() ? "" : ", regions shifted", AZURE_ATTRIBUTION);
        } else {
            traffic = SyntheticDay.DEFAULT.withPeaks(peak, Map.of()).withSeed(seed);
            name = String.format(Locale.ROOT, "synthetic day, peak %,.0f tokens/s per region at 16:00 local, "
                    + "two 3-minute bursts an hour", peak);
        }
        CapacityTable table = CapacityTable.defaults().withTokensPerSecond(capacity, Tier.CORE_GPU);
        return new Scenario(fleet, traffic, name, start, duration, table, LatencyTable.defaults(),
                new Delays(warmStart, coldStart, Delays.REAL_CLOUD.reclaimNotice()), spotRate, seed, budgetUsed);
    }

    List<PolicySet> policies() {
        if (policyFiles.size() > 2 || (policyFiles.size() == 2 && compareThreshold != null)) {
            throw new IllegalArgumentException("at most two policy sets: two --policy files, or one (or the defaults) "
                    + "and --compare-threshold");
        }
        PolicySet first = policyFiles.isEmpty() ? PolicySet.defaults() : PolicySet.read(policyFiles.get(0));
        if (threshold != null) {
            first = first.withScaleOut(threshold);
        }
        List<PolicySet> sets = new ArrayList<>(List.of(first));
        if (policyFiles.size() == 2) {
            sets.add(PolicySet.read(policyFiles.get(1)));
        } else if (compareThreshold != null) {
            sets.add(first.withScaleOut(compareThreshold));
        }
        return sets;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** Map keys (region names) as written. */
    static final class TextConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return value;
        }
    }

    /** picocli converter for 500ms, 90s, 5m, 1h30m. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
