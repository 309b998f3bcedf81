package dev.meridian.auditproof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form of a chain entry and its hash: {@code SHA-256(previousHash ‖ canonical record)}.
 *
 * <p>The canonical record is JSON with a fixed field order (id, kind, region, sequence, time, actor, action,
 * resource, source, type, payload) and the payload's object keys sorted recursively, numbers as Jackson writes them.
 * It survives a round trip through PostgreSQL's {@code jsonb} (which reorders keys and drops whitespace), so the
 * verifier recomputes the same hash from a stored row as the chainer did from the event. The hash and the signature
 * are not part of it; {@code previousHash} is the prefix (its 64 hex characters as ASCII).
 */
public final class Canonical {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private Canonical() {
    }

    /** PostgreSQL keeps microseconds: hashing more would make every stored row fail verification. */
    public static Instant truncate(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    /** The hash an entry with these fields must carry. */
    public static String hash(String previousHash, String id, AuditEntryKind kind, String region, long sequence,
            Instant time, String actor, String action, String resource, String source, String type, JsonNode payload) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.put("kind", kind.name());
        node.put("region", region);
        node.put("sequence", sequence);
        node.put("time", truncate(time).toString());
        node.put("actor", actor);
        node.put("action", action);
        node.put("resource", resource);
        node.put("source", source);
        node.put("type", type);
        node.set("payload", sorted(payload));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha.update(MAPPER.writeValueAsBytes(node));
            return HEX.formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash an audit entry", e);
        }
    }

    /** The hash {@code record} must carry given its content: equal to {@code record.hash()} unless tampered with. */
    public static String expectedHash(AuditRecord record) {
        return hash(record.previousHash(), record.id(), record.kind(), record.region(), record.sequence(),
                record.time(), record.actor(), record.action(), record.resource(), record.source(), record.type(),
                record.payload());
    }

    /** A copy of {@code node} with every object's keys in sorted order. */
    public static JsonNode sorted(JsonNode node) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        if (node.isFloatingPointNumber()) {
            // jsonb keeps 40.50 as written, Jackson reads it back as 40.5: compare as doubles, written one way.
            return JsonNodeFactory.instance.numberNode(node.doubleValue());
        }
        return node;
    }
}
