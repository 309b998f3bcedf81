package dev.meridian.ingest.intake;

/**
 * One item of a batch body, as the exact bytes the sender wrote, so a rejected item reaches the DLQ unchanged.
 *
 * @param index array index, or 0-based line number for NDJSON
 */
public record BatchItem(int index, byte[] bytes) {
}
