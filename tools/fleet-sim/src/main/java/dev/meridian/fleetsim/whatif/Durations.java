package dev.meridian.fleetsim.whatif;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line or in a properties file: 500ms, 90s, 5m, 1h, 1h30m or PT5M. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher matcher = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = matcher.end();
        }
        if (end == 0 || end != value.length()) {
            throw invalid(text);
        }
        return total;
    }

    /** Compact form for reports: 1h05m, 85s, 500ms. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds == 0) {
            return duration.toMillis() + "ms";
        }
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        StringBuilder out = new StringBuilder();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0 || (h > 0 && s > 0)) {
            out.append(h > 0 ? String.format(Locale.ROOT, "%02d", m) : String.valueOf(m)).append('m');
        }
        if (s > 0) {
            out.append(h > 0 || m > 0 ? String.format(Locale.ROOT, "%02d", s) : String.valueOf(s)).append('s');
        }
        return out.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a duration: '" + text + "' (write e.g. 500ms, 90s, 5m, 1h30m or PT5M)");
    }
}
