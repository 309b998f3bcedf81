package dev.meridian.fleetsim.traffic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.Locale;

/**
 * A request trace in the format of the Azure LLM inference trace 2023 (Microsoft Azure Public Dataset, CC-BY 4.0;
 * Patel et al., "Splitwise: Efficient generative LLM inference using phase splitting", ISCA 2024): a header naming
 * {@code TIMESTAMP}, {@code ContextTokens} and {@code GeneratedTokens} (any order, other columns ignored), then one
 * request per line, e.g. {@code 2023-11-16 18:15:46.6805900,374,44}. Timestamps are UTC,
 * {@code yyyy-MM-dd HH:mm:ss} with up to nine fraction digits.
 *
 * <p>Read into tokens per second of trace time: each request's context and generated tokens count in the second it
 * arrived, counted from the earliest request. The trace itself is never copied: pass the path of a local copy.
 */
public final class AzureTrace {

    public static final String TIMESTAMP = "TIMESTAMP";
    public static final String CONTEXT_TOKENS = "ContextTokens";
    public static final String GENERATED_TOKENS = "GeneratedTokens";
    /** Longer spans are almost certainly a wrong column or a broken clock, and would cost memory per second. */
    public static final Duration MAX_SPAN = Duration.ofDays(7);

    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    private final String name;
    private final Instant first;
    private final double[] tokensPerSecond;
    private final long requests;

    private AzureTrace(String name, Instant first, double[] tokensPerSecond, long requests) {
        this.name = name;
        this.first = first;
        this.tokensPerSecond = tokensPerSecond;
        this.requests = requests;
    }

    public static AzureTrace read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file, e);
        }
    }

    /** @param name how error messages name the source, e.g. the file name */
    public static AzureTrace read(Reader source, String name) {
        BufferedReader reader = source instanceof BufferedReader buffered ? buffered : new BufferedReader(source);
        try {
            String header = reader.readLine();
            if (header == null || header.isBlank()) {
                throw new TraceFormatException(name + ": empty, expected a header " + TIMESTAMP + ","
                        + CONTEXT_TOKENS + "," + GENERATED_TOKENS);
            }
            String[] columns = split(header.startsWith("\uFEFF") ? header.substring(1) : header);
            int time = column(columns, TIMESTAMP, name);
            int context = column(columns, CONTEXT_TOKENS, name);
            int generated = column(columns, GENERATED_TOKENS, name);

            long[] nanos = new long[1024];
            long[] tokens = new long[1024];
            int count = 0;
            int lineNumber = 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = split(line);
                if (fields.length != columns.length) {
                    throw new TraceFormatException(name + ":" + lineNumber + ": " + fields.length + " fields, the header has "
                            + columns.length);
                }
                if (count == nanos.length) {
                    nanos = Arrays.copyOf(nanos, count * 2);
                    tokens = Arrays.copyOf(tokens, count * 2);
                }
                nanos[count] = epochNanos(fields[time], name, lineNumber);
                tokens[count] = count(fields[context], CONTEXT_TOKENS, name, lineNumber)
                        + count(fields[generated], GENERATED_TOKENS, name, lineNumber);
                count++;
            }
            if (count == 0) {
                throw new TraceFormatException(name + ": no requests after the header");
            }
            return bucket(name, Arrays.copyOf(nanos, count), Arrays.copyOf(tokens, count));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + name, e);
        }
    }

    private static AzureTrace bucket(String name, long[] nanos, long[] tokens) {
        long min = Arrays.stream(nanos).min().orElseThrow();
        long max = Arrays.stream(nanos).max().orElseThrow();
        if (max - min > MAX_SPAN.toNanos()) {
            throw new TraceFormatException(name + ": requests span " + Duration.ofNanos(max - min)
                    + ", more than the " + MAX_SPAN + " a trace may cover");
        }
        double[] perSecond = new double[(int) ((max - min) / 1_000_000_000L) + 1];
        for (int i = 0; i < nanos.length; i++) {
            perSecond[(int) ((nanos[i] - min) / 1_000_000_000L)] += tokens[i];
        }
        Instant first = Instant.ofEpochSecond(0, min);
        return new AzureTrace(name, first, perSecond, nanos.length);
    }

    public String name() {
        return name;
    }

    /** The earliest request's arrival. */
    public Instant first() {
        return first;
    }

    public long requests() {
        return requests;
    }

    /** Whole seconds from the first request's second to the last one's, inclusive. */
    public int seconds() {
        return tokensPerSecond.length;
    }

    /** Tokens that arrived in second {@code index} of the trace. */
    public double tokensInSecond(int index) {
        return tokensPerSecond[index];
    }

    public double totalTokens() {
        return Arrays.stream(tokensPerSecond).sum();
    }

    /** A copy of the per-second token counts. */
    public double[] perSecond() {
        return tokensPerSecond.clone();
    }

    private static int column(String[] columns, String wanted, String name) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        throw new TraceFormatException(name + ":1: no column " + wanted + " in the header " + String.join(",", columns)
                + "; expected " + TIMESTAMP + "," + CONTEXT_TOKENS + "," + GENERATED_TOKENS);
    }

    private static String[] split(String line) {
        String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                field = field.substring(1, field.length() - 1);
            }
            fields[i] = field;
        }
        return fields;
    }

    private static long epochNanos(String text, String name, int line) {
        try {
            Instant instant = LocalDateTime.parse(text, FORMAT).toInstant(ZoneOffset.UTC);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new TraceFormatException(name + ":" + line + ": " + TIMESTAMP + " must look like "
                    + "2023-11-16 18:15:46.6805900, was '" + text + "'");
        }
    }

    private static long count(String text, String column, String name, int line) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the column and the value
        }
        throw new TraceFormatException(name + ":" + line + ": " + column + " must be a whole number >= 0, was '" + text
                + "'");
    }
}
