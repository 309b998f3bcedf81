package dev.meridian.ingest.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.ingest.intake.BatchItem;
import dev.meridian.ingest.intake.IntakeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body into items, each as the exact bytes the sender wrote, so one bad item is reported and
 * dead-lettered alone. Only a body that cannot be split at all fails the request.
 */
final class BatchBody {

    private BatchBody() {
    }

    /**
     * A JSON array of items, or a single JSON object as one item.
     *
     * @throws IntakeException UNPARSEABLE when the body is not well-formed JSON, or neither an array nor an object;
     *                         TOO_MANY when it holds more than {@code maxItems} items
     */
    static List<BatchItem> json(byte[] body, int maxItems) {
        try (JsonParser parser = ContractJson.mapper().createParser(body)) {
            JsonToken first = parser.nextToken();
            List<BatchItem> items = new ArrayList<>();
            if (first == JsonToken.START_OBJECT) {
                parser.skipChildren();
                items.add(new BatchItem(0, body));
            } else if (first == JsonToken.START_ARRAY) {
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    if (token == null) {
                        throw unparseable("the JSON array is not closed");
                    }
                    requireRoom(items, maxItems);
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    if (token.isStructStart()) {
                        parser.skipChildren();
                    } else {
                        // Strings are read lazily; without this the end offset would sit inside the value.
                        parser.finishToken();
                    }
                    int end = (int) parser.currentLocation().getByteOffset();
                    items.add(new BatchItem(items.size(), Arrays.copyOfRange(body, start, end)));
                }
            } else {
                throw unparseable("the body must be a JSON array or object");
            }
            if (parser.nextToken() != null) {
                throw unparseable("trailing content after the JSON " + (first == JsonToken.START_ARRAY ? "array" : "object"));
            }
            return items;
        } catch (IOException e) {
            throw new IntakeException(IntakeException.Kind.UNPARSEABLE, "malformed JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Newline-delimited JSON: one item per non-blank line, numbered by line (0-based). A malformed line is an item
     * error, not a request error: lines are independent documents.
     *
     * @throws IntakeException TOO_MANY when it holds more than {@code maxItems} items
     */
    static List<BatchItem> ndjson(byte[] body, int maxItems) {
        List<BatchItem> items = new ArrayList<>();
        int line = 0;
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (!blank(body, start, end)) {
                    requireRoom(items, maxItems);
                    items.add(new BatchItem(line, Arrays.copyOfRange(body, start, end)));
                }
                line++;
                start = i + 1;
            }
        }
        if (items.isEmpty()) {
            throw unparseable("the NDJSON body holds no line");
        }
        return items;
    }

    private static void requireRoom(List<BatchItem> items, int maxItems) {
        if (items.size() >= maxItems) {
            throw new IntakeException(IntakeException.Kind.TOO_MANY, "the request holds more than " + maxItems
                    + " items (meridian.ingest.http.max-items-per-request): send smaller batches");
        }
    }

    private static boolean blank(byte[] body, int start, int end) {
        for (int i = start; i < end; i++) {
            if (body[i] != ' ' && body[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static IntakeException unparseable(String message) {
        return new IntakeException(IntakeException.Kind.UNPARSEABLE, message);
    }
}
