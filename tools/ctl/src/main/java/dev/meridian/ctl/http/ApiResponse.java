package dev.meridian.ctl.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.ctl.CtlException;
import dev.meridian.ctl.ExitCodes;

/** A successful answer: its raw body (what {@code -o json} prints) and the body as a JSON tree. */
public record ApiResponse(Service service, int status, String body) {

    /** The one mapper of ctl: trees only, no binding. */
    static final ObjectMapper JSON = new ObjectMapper();

    /** The body parsed; an answer that is not JSON fails the command. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new CtlException(ExitCodes.FAILED, "the " + service.label() + " answered " + status
                    + " with a body that is not JSON: " + Problems.snippet(body));
        }
    }
}
