package dev.meridian.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.ctl.CtlException;
import dev.meridian.ctl.ExitCodes;
import dev.meridian.ctl.http.ActionRequest;
import dev.meridian.ctl.http.ApiClient;
import dev.meridian.ctl.http.ApiResponse;
import dev.meridian.ctl.http.Query;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.ActionsView;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * An operator action: {@code POST /v1/actions} on the scaler (202, PENDING), then with {@code --wait}
 * {@code GET /v1/actions/{id}} until APPLIED or REJECTED. Prints the last answer; exit 4 when it is REJECTED, or
 * still PENDING once {@code --wait-timeout} has passed.
 */
abstract class SubmitCommand extends ApiCommand {

    @Option(names = "--reason", paramLabel = "<text>", description = "Why, for the audit log.")
    String reason;

    @Option(names = "--wait", description = "Wait until the scaler has APPLIED or REJECTED the action.")
    boolean await;

    @Option(names = "--wait-timeout", paramLabel = "<duration>", defaultValue = "60s",
            converter = DurationConverter.class, description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    Duration waitTimeout;

    /** The action's request body; a {@link picocli.CommandLine.ParameterException} for options that do not fit. */
    abstract ActionRequest request();

    @Override
    public Integer call() {
        ActionRequest request = request();
        ApiClient scaler = client(Service.SCALER);
        ApiResponse answer = scaler.post("/v1/actions", request.toJson());
        if (await) {
            answer = awaitDecision(scaler, answer);
        }
        print(answer, ActionsView::printOne);
        JsonNode result = answer.json();
        String status = result.path("status").asText();
        if (status.equals("REJECTED")) {
            throw new CtlException(ExitCodes.FAILED, "REJECTED: " + result.path("reason").asText("no reason given"));
        }
        if (await && status.equals("PENDING")) {
            String waited = waitTimeout.toMillis() < 1000 ? waitTimeout.toMillis() + " ms"
                    : waitTimeout.toSeconds() + " s";
            throw new CtlException(ExitCodes.FAILED, "still PENDING after " + waited + "; ask again with: "
                    + "meridian ctl action " + result.path("actionId").asText());
        }
        return ExitCodes.OK;
    }

    private ApiResponse awaitDecision(ApiClient scaler, ApiResponse accepted) {
        JsonNode json = accepted.json();
        String id = json.path("actionId").asText(null);
        if (id == null) {
            throw new CtlException(ExitCodes.FAILED, "the scaler's answer names no actionId: cannot wait for it");
        }
        Duration poll = ctl().environment().pollInterval();
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        ApiResponse answer = accepted;
        while (answer.json().path("status").asText().equals("PENDING") && System.nanoTime() < deadline) {
            sleep(poll);
            answer = scaler.get("/v1/actions/" + Query.segment(id), Query.of());
        }
        return answer;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(ExitCodes.FAILED, "interrupted while waiting");
        }
    }
}
