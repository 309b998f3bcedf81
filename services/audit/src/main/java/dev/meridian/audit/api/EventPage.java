package dev.meridian.audit.api;

import dev.meridian.contracts.audit.AuditRecord;
import java.util.List;

/**
 * One page of a search, newest first.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record EventPage(List<AuditRecord> items, String nextCursor) {
}
