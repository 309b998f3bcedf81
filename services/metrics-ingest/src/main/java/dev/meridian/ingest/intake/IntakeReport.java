package dev.meridian.ingest.intake;

import java.util.List;

/**
 * What a batch door answers: how many items were accepted and rejected, and why each rejected one was.
 *
 * @param errors one per rejected item, in item order
 */
public record IntakeReport(int accepted, int rejected, List<ItemError> errors) {

    /**
     * @param index the item's position: array index, or 0-based line number for NDJSON
     */
    public record ItemError(int index, String field, String rule, String reason) {
    }
}
