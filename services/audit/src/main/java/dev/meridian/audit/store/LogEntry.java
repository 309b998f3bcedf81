package dev.meridian.audit.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.meridian.contracts.validation.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * One record of {@code meridian.audit.log.v1} as the writer stores it, read with a streaming parser: the payload's JSON
 * text is cut out of the record as it is (PostgreSQL parses it into {@code jsonb} anyway) instead of being built into a
 * tree, copied and written again — the writer's hottest path. The checks are those of the columns: every field the
 * table requires, a known kind, hashes of 64 hex digits. What the chainer wrote passed {@code AuditRecord}'s full
 * validation already.
 */
record LogEntry(String id, String kind, String region, long sequence, Instant time, String actor, String action,
        String resource, String source, String type, String payloadJson, String previousHash, String hash,
        String signature) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** @throws IllegalArgumentException naming what is wrong */
    static LogEntry parse(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("no value");
        }
        String id = null;
        String kind = null;
        String region = null;
        Long sequence = null;
        String time = null;
        String actor = null;
        String action = null;
        String resource = null;
        String source = null;
        String type = null;
        String payload = null;
        String previousHash = null;
        String hash = null;
        String signature = null;
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "id" -> id = text(parser, token);
                    case "kind" -> kind = text(parser, token);
                    case "region" -> region = text(parser, token);
                    case "sequence" -> sequence = token == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
                    case "time" -> time = text(parser, token);
                    case "actor" -> actor = text(parser, token);
                    case "action" -> action = text(parser, token);
                    case "resource" -> resource = text(parser, token);
                    case "source" -> source = text(parser, token);
                    case "type" -> type = text(parser, token);
                    case "previousHash" -> previousHash = text(parser, token);
                    case "hash" -> hash = text(parser, token);
                    case "signature" -> signature = text(parser, token);
                    case "payload" -> {
                        if (token != JsonToken.START_OBJECT) {
                            throw new IllegalArgumentException("payload must be a JSON object");
                        }
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        int end = (int) parser.currentLocation().getByteOffset();
                        payload = new String(value, start, end - start, StandardCharsets.UTF_8);
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
        require("id", id);
        require("region", region);
        require("actor", actor);
        require("action", action);
        require("resource", resource);
        require("source", source);
        require("type", type);
        require("payload", payload);
        if (!"RECORD".equals(kind) && !"DIGEST".equals(kind)) {
            throw new IllegalArgumentException("kind must be RECORD or DIGEST, was " + kind);
        }
        if (sequence == null || sequence < 0) {
            throw new IllegalArgumentException("sequence must be a non-negative integer");
        }
        if (previousHash == null || !SHA256_HEX.matcher(previousHash).matches() || hash == null
                || !SHA256_HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException("previousHash and hash must be 64 lower-case hex digits");
        }
        if ("DIGEST".equals(kind) != (signature != null)) {
            throw new IllegalArgumentException("signature must be set if and only if kind is DIGEST");
        }
        Instant at;
        try {
            at = Instant.parse(require("time", time));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time must be an ISO-8601 instant, was " + time, e);
        }
        return new LogEntry(id, kind, region, sequence, at, actor, action, resource, source, type, payload,
                previousHash, hash, signature);
    }

    /**
     * What keeps this well-formed entry out of the store, or null: a control character in an identifier or text
     * column (PostgreSQL cannot store a NUL at all; the others forge lines in exports and terminals), or a time outside
     * what the store keeps. The chainer never writes either; a record that has one was written by something else.
     */
    Refusal screen(int partition, long offset, byte[] raw, StoreWriter.Limits limits, Instant now) {
        String column = controlIn("id", id, "region", region, "actor", actor, "action", action, "resource", resource,
                "source", source, "type", type, "signature", signature);
        if (column != null) {
            return new Refusal(Refusal.Kind.CONTROL_CHARACTER, column + " contains a control character", partition,
                    offset, raw, this);
        }
        if (time.getNano() % 1_000 != 0) {
            // PostgreSQL keeps microseconds: rounded, the row could fall into another month than the one prepared.
            return new Refusal(Refusal.Kind.TIME_OUT_OF_RANGE, "time " + time + " is finer than microseconds",
                    partition, offset, raw, this);
        }
        if (!limits.accepts(time, now)) {
            return new Refusal(Refusal.Kind.TIME_OUT_OF_RANGE, "time " + time + " is outside what the store keeps ("
                    + limits.earliest(now) + " .. " + limits.latest(now) + ")", partition, offset, raw, this);
        }
        return null;
    }

    /** The first named column whose value holds a control character, or null; names and values alternate. */
    private static String controlIn(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value != null && Checks.firstControl(value) >= 0) {
                return namesAndValues[i];
            }
        }
        return null;
    }

    private static String text(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(parser.currentName() + " must be a string");
        }
        return parser.getText();
    }

    private static String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
