package dev.meridian.contracts.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Reads the one form every Meridian writer produces — {@link Instant#toString()}'s {@code 2026-11-27T13:00:00Z},
 * with 0 to 9 fraction digits — without {@code DateTimeFormatter}, whose general ISO-8601 parser was a tenth of
 * the ingest topology's time. Anything else (offsets, lower case, leap seconds, numbers, garbage) goes to the
 * deserializer Jackson would have used anyway, so what is accepted, and every error, stays the same.
 */
final class CanonicalInstants {

    private static final int SHORTEST = "2026-11-27T13:00:00Z".length();
    private static final int LONGEST = "2026-11-27T13:00:00.123456789Z".length();
    /** Nanoseconds per unit of the last fraction digit, by number of fraction digits. */
    private static final int[] NANOS_PER_UNIT = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100,
        10, 1};

    private CanonicalInstants() {
    }

    /** Wraps whatever deserializer Jackson picks for {@link Instant} (the JavaTimeModule's) with the fast path. */
    static SimpleModule module() {
        return new SimpleModule("meridian-canonical-instants").setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                    JsonDeserializer<?> deserializer) {
                return description.getBeanClass() == Instant.class ? new Deserializer(deserializer) : deserializer;
            }
        });
    }

    /**
     * @return the instant, or null when {@code text} is not exactly {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z} with
     *         fields in range; the general parser then decides
     */
    static Instant parse(String text) {
        int length = text.length();
        if (length < SHORTEST || length > LONGEST || length == SHORTEST + 1 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > SHORTEST) {
            int fractionDigits = length - SHORTEST - 1;
            int fraction = digits(text, SHORTEST, length - 1);
            if (text.charAt(SHORTEST - 1) != '.' || fraction < 0) {
                return null;
            }
            nanos = fraction * NANOS_PER_UNIT[fractionDigits];
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of {@code text[from, to)}, or -1 if any of those characters is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static final class Deserializer extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        Deserializer(JsonDeserializer<?> general) {
            super(general);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> general) {
            return new Deserializer(general);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant canonical = parse(parser.getText());
                if (canonical != null) {
                    return canonical;
                }
            }
            return super.deserialize(parser, context);
        }
    }
}
