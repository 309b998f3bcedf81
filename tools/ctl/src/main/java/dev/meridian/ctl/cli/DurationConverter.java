package dev.meridian.ctl.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A positive duration: {@code 500ms}, {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, {@code 1h30m} or ISO {@code PT2H}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        Duration duration = parse(value.strip().toLowerCase(Locale.ROOT));
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration like 90s, 15m, 2h, 1d "
                    + "or 1h30m");
        }
        return duration;
    }

    private static Duration parse(String v) {
        if (v.startsWith("p")) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = PART.matcher(v);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = m.end();
        }
        return end == v.length() && end > 0 ? total : null;
    }
}
