package dev.meridian.contracts.cloudevents;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Who caused an event, as the CloudEvents Auth Context extension says it ({@code authtype}, {@code authid}; binary
 * mode: headers {@code ce_authtype}, {@code ce_authid}). Set by the service that authenticated the caller — from the
 * verified token, never from the event's body — so audit can name an authenticated actor.
 *
 * @param type the extension's principal type, e.g. {@code user}
 * @param id   the authenticated principal's name
 */
public record AuthContext(String type, String id) {

    public static final String TYPE_HEADER = "ce_authtype";
    public static final String ID_HEADER = "ce_authid";
    /** A principal that presented a verified token. */
    public static final String USER = "user";

    public AuthContext {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static AuthContext user(String name) {
        return new AuthContext(USER, name);
    }

    /** Sets the extension on {@code headers}, replacing earlier values. */
    public Headers writeTo(Headers headers) {
        headers.remove(TYPE_HEADER);
        headers.remove(ID_HEADER);
        headers.add(TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        headers.add(ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The extension of a record; empty when it carries none (or only half of it). */
    public static Optional<AuthContext> readFrom(Headers headers) {
        Header type = headers.lastHeader(TYPE_HEADER);
        Header id = headers.lastHeader(ID_HEADER);
        if (type == null || id == null || type.value() == null || id.value() == null) {
            return Optional.empty();
        }
        String name = new String(id.value(), StandardCharsets.UTF_8);
        return name.isBlank() ? Optional.empty()
                : Optional.of(new AuthContext(new String(type.value(), StandardCharsets.UTF_8), name));
    }
}
