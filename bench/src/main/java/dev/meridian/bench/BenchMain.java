package dev.meridian.bench;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with its usual command line, then prints each benchmark's score as a ratio to the {@code baseline}
 * method of the same class, all measured in this one run — ratios from one run on one machine are what our
 * targets are stated in.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Optional<Method> throughBroker = args.length == 0 ? Optional.empty() : throughBrokerBenchmark(args[0]);
        if (throughBroker.isPresent()) {
            throughBroker.get().invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        runJmh(args);
    }

    /** Benchmarks against a real broker are plain mains (JMH's forks and iterations do not fit them). */
    private static Optional<Method> throughBrokerBenchmark(String name) {
        try {
            Method main = Class.forName(BenchMain.class.getPackageName() + "." + name).getMethod("main", String[].class);
            return Modifier.isStatic(main.getModifiers()) ? Optional.of(main) : Optional.empty();
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static void runJmh(String[] args) throws RunnerException, CommandLineOptionException {
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        for (String line : ratioReport(results)) {
            System.out.println(line);
        }
    }

    static List<String> ratioReport(Collection<RunResult> results) {
        Map<String, Map<String, RunResult>> byClass = new TreeMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            int dot = benchmark.lastIndexOf('.');
            String params = result.getParams().getParamsKeys().stream()
                    .map(k -> k + "=" + result.getParams().getParam(k)).reduce((a, b) -> a + "," + b)
                    .map(p -> " [" + p + "]").orElse("");
            byClass.computeIfAbsent(benchmark.substring(0, dot) + params, k -> new TreeMap<>())
                    .put(benchmark.substring(dot + 1), result);
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Ratios to the baseline of the same class, measured in this run:");
        byClass.forEach((benchClass, methods) -> {
            RunResult baseline = methods.entrySet().stream().filter(e -> e.getKey().startsWith("baseline"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (baseline == null) {
                return;
            }
            double base = baseline.getPrimaryResult().getScore();
            methods.forEach((method, result) -> {
                if (result != baseline) {
                    double score = result.getPrimaryResult().getScore();
                    lines.add(String.format("  %s.%s: %.4g %s = %.2f x baseline", shortName(benchClass), method, score,
                            result.getPrimaryResult().getScoreUnit(), score / base));
                }
            });
        });
        return lines;
    }

    private static String shortName(String className) {
        return className.substring(className.lastIndexOf('.', className.indexOf(' ') < 0
                ? className.length() : className.indexOf(' ')) + 1);
    }
}
