package dev.meridian.contracts.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Collects violations for one value. Each method checks one component and records at most one violation
 * for it, so a null or non-finite value is reported once, not once per rule it then also breaks.
 *
 * <pre>{@code
 * return Checks.of()
 *         .id("nodeId", nodeId)
 *         .percent("gpuUtil", gpuUtil)
 *         .result();
 * }</pre>
 */
public final class Checks {

    /** Upper bound for identifiers: node ids, regions, zones, pools, instance types, scopes. */
    public static final int MAX_ID_LENGTH = 128;
    /** Upper bound for free text: reasons, details, resources. */
    public static final int MAX_TEXT_LENGTH = 1024;

    public static final String REQUIRED = "required";
    public static final String BLANK = "blank";
    public static final String LENGTH = "length";
    public static final String FINITE = "finite";
    public static final String RANGE = "range";
    public static final String NEGATIVE = "negative";
    public static final String EXCEEDS = "exceeds";
    public static final String ORDER = "order";
    public static final String FORMAT = "format";
    public static final String CONSISTENCY = "consistency";
    public static final String CLOCK_SKEW = "clock skew";
    public static final String CONTROL = "control character";
    public static final String TOO_OLD = "too old";

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");

    private final List<Violation> violations = new ArrayList<>();

    private Checks() {
    }

    public static Checks of() {
        return new Checks();
    }

    public List<Violation> result() {
        return List.copyOf(violations);
    }

    /**
     * Records a violation when {@code ok} is false: for rules that belong to one record only. The message is built
     * only then — validation runs on every ingested sample, and eager messages cost more than the checks.
     */
    public Checks rule(boolean ok, String field, String rule, Supplier<String> message) {
        if (!ok) {
            violations.add(new Violation(field, rule, message.get()));
        }
        return this;
    }

    public Checks required(String field, Object value) {
        return rule(value != null, field, REQUIRED, () -> field + " is required");
    }

    /** A required identifier: non-blank, at most {@value #MAX_ID_LENGTH} characters. */
    public Checks id(String field, String value) {
        return text(field, value, MAX_ID_LENGTH);
    }

    /** An identifier that may be absent; when present, the same rules as {@link #id}. */
    public Checks optionalId(String field, String value) {
        return value == null ? this : id(field, value);
    }

    /**
     * Required, non-blank text of at most {@code maxLength} characters, without control characters: a NUL cannot be
     * stored by PostgreSQL at all, and the others (newlines, escapes) forge lines in logs, CSV exports and terminals.
     */
    public Checks text(String field, String value, int maxLength) {
        if (value == null) {
            return required(field, null);
        }
        if (value.isBlank()) {
            return rule(false, field, BLANK, () -> field + " must not be blank");
        }
        if (value.length() > maxLength) {
            return rule(false, field, LENGTH,
                    () -> field + " must be at most " + maxLength + " characters, was " + value.length());
        }
        int control = firstControl(value);
        return rule(control < 0, field, CONTROL, () -> field + " must not contain control characters, found U+"
                + String.format("%04X", (int) value.charAt(control)) + " at index " + control);
    }

    /**
     * {@code value} made safe to keep where a contract's text goes (a store, a log line): cut to {@code max}
     * characters, line breaks and tabs as spaces, other control characters as U+FFFD; "" for null. For text a
     * service records as it found it rather than refuses (what an audit quarantines, a header it chains).
     */
    public static String printable(String value, int max) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : Character.isISOControl(c) ? '\uFFFD' : c);
        }
        return out.toString();
    }

    /** The index of the first ISO control character (U+0000..U+001F, U+007F..U+009F) in {@code value}, or -1. */
    public static int firstControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    public Checks optionalText(String field, String value, int maxLength) {
        return value == null ? this : text(field, value, maxLength);
    }

    public Checks finite(String field, double value) {
        return rule(Double.isFinite(value), field, FINITE, () -> field + " must be finite, was " + format(value));
    }

    /** A finite value within 0..100: utilizations and their aggregates. */
    public Checks percent(String field, double value) {
        if (!Double.isFinite(value)) {
            return finite(field, value);
        }
        return rule(value >= 0 && value <= 100, field, RANGE, () -> field + " must be within 0..100, was " + format(value));
    }

    public Checks optionalPercent(String field, Double value) {
        return value == null ? this : percent(field, value);
    }

    /** A finite, non-negative value: rates, bytes, latencies, weights. */
    public Checks nonNegative(String field, double value) {
        if (!Double.isFinite(value)) {
            return finite(field, value);
        }
        return rule(value >= 0, field, NEGATIVE, () -> field + " must not be negative, was " + format(value));
    }

    public Checks optionalNonNegative(String field, Double value) {
        return value == null ? this : nonNegative(field, value);
    }

    public Checks nonNegative(String field, long value) {
        return rule(value >= 0, field, NEGATIVE, () -> field + " must not be negative, was " + value);
    }

    public Checks nonNegative(String field, BigDecimal value) {
        if (value == null) {
            return required(field, null);
        }
        return rule(value.signum() >= 0, field, NEGATIVE, () -> field + " must not be negative, was " + value.toPlainString());
    }

    public Checks optionalNonNegative(String field, BigDecimal value) {
        return value == null ? this : nonNegative(field, value);
    }

    public Checks atLeast(String field, long value, long minimum) {
        return rule(value >= minimum, field, RANGE, () -> field + " must be at least " + minimum + ", was " + value);
    }

    /** {@code value <= limit}, where the limit is another component: names both in the message. */
    public Checks notExceeding(String field, long value, String limitField, long limit) {
        return rule(value <= limit, field, EXCEEDS,
                () -> field + " must not exceed " + limitField + " (" + limit + "), was " + value);
    }

    /** {@code value} strictly after {@code earlier}; silent when either is null (reported as required). */
    public Checks after(String field, Instant value, String earlierField, Instant earlier) {
        if (value == null || earlier == null) {
            return this;
        }
        return rule(value.isAfter(earlier), field, ORDER,
                () -> field + " must be after " + earlierField + " (" + earlier + "), was " + value);
    }

    /** {@code value} at or after {@code earlier}; silent when either is null (reported as required). */
    public Checks notBefore(String field, Instant value, String earlierField, Instant earlier) {
        if (value == null || earlier == null) {
            return this;
        }
        return rule(!value.isBefore(earlier), field, ORDER,
                () -> field + " must not be before " + earlierField + " (" + earlier + "), was " + value);
    }

    public Checks currency(String field, String value) {
        if (value == null) {
            return required(field, null);
        }
        return rule(CURRENCY.matcher(value).matches(), field, FORMAT,
                () -> field + " must be an ISO 4217 code of 3 upper-case letters, was " + value);
    }

    /** A calendar month as {@code YYYY-MM}. */
    public Checks month(String field, String value) {
        if (value == null) {
            return required(field, null);
        }
        return rule(MONTH.matcher(value).matches(), field, FORMAT, () -> field + " must be a month as YYYY-MM, was " + value);
    }

    /** A SHA-256 digest as 64 lower-case hex characters. */
    public Checks sha256Hex(String field, String value) {
        if (value == null) {
            return required(field, null);
        }
        return rule(SHA256_HEX.matcher(value).matches(), field, FORMAT,
                () -> field + " must be 64 lower-case hex characters, was " + abbreviate(value));
    }

    /** Checks a nested value and reports its violations under {@code field}. */
    public Checks nested(String field, Validated value) {
        if (value == null) {
            return required(field, null);
        }
        value.violations().forEach(v -> violations.add(v.under(field)));
        return this;
    }

    /**
     * Checks a value whose components this one carries flat, in the same JSON object (a node's
     * {@code NodeRef}): its violations as they are, under their own field names.
     */
    public Checks inline(Validated value) {
        violations.addAll(value.violations());
        return this;
    }

    /** A required list of nested values, each reported under {@code field[i]}. */
    public Checks each(String field, List<? extends Validated> values) {
        if (values == null) {
            return required(field, null);
        }
        for (int i = 0; i < values.size(); i++) {
            nested(field + "[" + i + "]", values.get(i));
        }
        return this;
    }

    /** A required list of identifiers, each checked like {@link #id}. */
    public Checks ids(String field, Collection<String> values) {
        if (values == null) {
            return required(field, null);
        }
        int i = 0;
        for (String value : values) {
            id(field + "[" + i++ + "]", value);
        }
        return this;
    }

    /**
     * The ingest clock-skew rule: {@code value} may be at most {@code maxSkew} ahead of {@code now}, so a
     * sender whose clock runs fast cannot place samples in windows that have not opened yet.
     *
     * @return a violation with rule {@value #CLOCK_SKEW}, e.g.
     *         {@code timestamp is 12.3 s in the future (max 5 s): clock skew}; empty when within bounds
     */
    public static Optional<Violation> clockSkew(String field, Instant value, Instant now, Duration maxSkew) {
        if (value == null || !value.isAfter(now.plus(maxSkew))) {
            return Optional.empty();
        }
        Duration ahead = Duration.between(now, value);
        return Optional.of(new Violation(field, CLOCK_SKEW, field + " is " + seconds(ahead) + " s in the future (max "
                + seconds(maxSkew) + " s): " + CLOCK_SKEW));
    }

    /**
     * The receiver's bound on a claimed time in the past: {@code value} at most {@code maxAge} before {@code now}.
     *
     * @return a violation with rule {@value #TOO_OLD}, e.g. {@code noticeAt is 3600 s old (max 900 s): too old}
     */
    public static Optional<Violation> tooOld(String field, Instant value, Instant now, Duration maxAge) {
        if (value == null || !value.isBefore(now.minus(maxAge))) {
            return Optional.empty();
        }
        Duration age = Duration.between(value, now);
        return Optional.of(new Violation(field, TOO_OLD, field + " is " + seconds(age) + " s old (max "
                + seconds(maxAge) + " s): " + TOO_OLD));
    }

    /** {@link #clockSkew} as a collector step. */
    public Checks notAfter(String field, Instant value, Instant now, Duration maxSkew) {
        clockSkew(field, value, now, maxSkew).ifPresent(violations::add);
        return this;
    }

    /**
     * Formats a number for a message: the shortest form that round-trips, never in exponent notation, so
     * DCGM's corrupt 4294967295 reads as that number rather than 4.294967295E9.
     */
    public static String format(double value) {
        String text = Double.toString(value);
        if (Double.isFinite(value) && text.indexOf('E') >= 0) {
            return new BigDecimal(text).stripTrailingZeros().toPlainString();
        }
        return text;
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
