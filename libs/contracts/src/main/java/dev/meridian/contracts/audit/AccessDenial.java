package dev.meridian.contracts.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * A request a service refused, as it reports it on {@code meridian.audit.operations.v1} (CloudEvents type
 * {@value #TYPE}, key: the region): who was refused — the token's principal (403), or nobody and the peer address
 * (401) — what they asked for and why. Services limit how many they report; {@code unreportedBefore} counts the
 * refusals the limit held back since the previous report, so a flood leaves its size on record.
 *
 * @param region           the region whose chain records it: the region the request named, else the service's own
 * @param service          the service that refused (its application name)
 * @param principal        the verified token's name; null when the request had no valid token
 * @param peer             the caller's address as the service saw it; null when not known
 * @param status           401 or 403
 * @param door             what was asked: method and path, e.g. {@code GET /v1/costs}, or a door and the item's region
 * @param reason           why, e.g. {@code no valid token}, {@code role}, {@code region}
 * @param unreportedBefore refusals of this service not reported on their own since the previous report
 */
public record AccessDenial(
        @JsonProperty(required = true) Instant at,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String service,
        String principal,
        String peer,
        @JsonProperty(required = true) int status,
        @JsonProperty(required = true) String door,
        @JsonProperty(required = true) String reason,
        @JsonProperty(required = true) long unreportedBefore) implements Validated {

    /** CloudEvents {@code ce_type} of a refusal on {@code meridian.audit.operations.v1}. */
    public static final String TYPE = "dev.meridian.access.denied.v1";

    /**
     * A refusal whose texts come from the request (path, principal, peer) made safe to store: printable and bounded,
     * so one hostile request cannot make the report itself invalid.
     */
    public static AccessDenial of(Instant at, String region, String service, String principal, String peer,
            int status, String door, String reason, long unreportedBefore) {
        return new AccessDenial(at, Checks.printable(region, Checks.MAX_ID_LENGTH),
                Checks.printable(service, Checks.MAX_ID_LENGTH), safe(principal), safe(peer), status,
                Checks.printable(door, Checks.MAX_TEXT_LENGTH), Checks.printable(reason, Checks.MAX_TEXT_LENGTH),
                unreportedBefore);
    }

    /** The name the audit records as the actor: the principal, else {@code anonymous}. */
    public String actor() {
        return principal == null || principal.isBlank() ? "anonymous" : principal;
    }

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .required("at", at)
                .id("region", region)
                .id("service", service)
                .text("door", door, Checks.MAX_TEXT_LENGTH)
                .text("reason", reason, Checks.MAX_TEXT_LENGTH)
                .rule(status == 401 || status == 403, "status", Checks.RANGE, () -> "status must be 401 or 403")
                .rule(unreportedBefore >= 0, "unreportedBefore", Checks.NEGATIVE,
                        () -> "unreportedBefore must not be negative")
                .result();
    }

    private static String safe(String text) {
        return text == null || text.isBlank() ? null : Checks.printable(text, Checks.MAX_TEXT_LENGTH);
    }
}
