package dev.meridian.audit.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * A keyset position: the (time, id) of the last entry of a page. Opaque to clients (URL-safe base64); a page after
 * it holds only entries strictly older in (time desc, id desc) order, so entries inserted meanwhile (newer ones, or
 * older ones arriving late) never shift or repeat what a client already paged through.
 */
public record Cursor(Instant time, String id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code text} is not a cursor this service issued */
    public static Cursor decode(String text) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = decoded.indexOf('|');
            if (bar <= 0 || bar == decoded.length() - 1) {
                throw new IllegalArgumentException("cursor is malformed");
            }
            return new Cursor(Instant.parse(decoded.substring(0, bar)), decoded.substring(bar + 1));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not one this service issued", e);
        }
    }
}
