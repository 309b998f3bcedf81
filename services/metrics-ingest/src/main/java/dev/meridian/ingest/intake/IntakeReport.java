package dev.meridian.ingest.intake;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a batch door answers: how many items were accepted and rejected, and why each rejected one was, up to
 * {@code meridian.ingest.http.max-listed-errors} of them.
 *
 * @param accepted      items accepted, exact
 * @param rejected      items rejected, exact
 * @param errors        one per rejected item, in item order, the first {@code max-listed-errors} only
 * @param errorsOmitted rejected items left out of {@code errors} ({@code rejected - errors.size()}); 0 when all are
 *                      listed
 */
@Schema(description = "Counts of one request's items and why the rejected ones were rejected")
public record IntakeReport(
        @Schema(description = "Items accepted (exact)") int accepted,
        @Schema(description = "Items rejected (exact)") int rejected,
        @Schema(description = "One entry per rejected item, in item order, at most "
                + "meridian.ingest.http.max-listed-errors (default 100); the rest are counted in errorsOmitted")
        List<ItemError> errors,
        @Schema(description = "Rejected items not listed in errors because the list is capped; 0 when every rejected "
                + "item is listed") int errorsOmitted) {

    /** Exact counts, with {@code listed} (the first errors, in item order) as the list. */
    public static IntakeReport of(int accepted, int rejected, List<ItemError> listed) {
        return new IntakeReport(accepted, rejected, List.copyOf(listed), rejected - listed.size());
    }

    /**
     * @param index the item's position: array index, or 0-based line number for NDJSON
     */
    public record ItemError(int index, String field, String rule, String reason) {
    }
}
