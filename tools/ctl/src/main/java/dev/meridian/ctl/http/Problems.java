package dev.meridian.ctl.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.ctl.CtlException;
import dev.meridian.ctl.ExitCodes;

/** Turns an error answer into the command's failure: problem+json as {@code title: detail}, its status as exit code. */
final class Problems {

    private static final int SNIPPET = 200;

    private Problems() {
    }

    static CtlException of(Service service, int status, String body) {
        return new CtlException(ExitCodes.ofStatus(status), message(service, status, body));
    }

    static String message(Service service, int status, String body) {
        JsonNode problem = parse(body);
        String title = text(problem, "title");
        String detail = text(problem, "detail");
        if (title != null) {
            return detail == null ? title : title + ": " + detail;
        }
        if (detail != null) {
            return detail;
        }
        String what = switch (status) {
            case 401 -> "the token was refused (missing, expired or not signed by a trusted issuer)";
            case 403 -> "the token's role or regions do not allow this";
            case 404 -> "not found";
            default -> body == null || body.isBlank() ? "no details" : snippet(body);
        };
        return "HTTP " + status + " from the " + service.label() + ": " + what;
    }

    static String snippet(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= SNIPPET ? line : line.substring(0, SNIPPET) + "…";
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : ApiResponse.JSON.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
