package dev.meridian.ctl.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An instant with its offset: {@code 2026-12-07T10:00:00Z} or {@code 2026-12-07T11:00:00+01:00}. */
public final class InstantConverter implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not an instant like 2026-12-07T10:00:00Z");
        }
    }
}
