package dev.meridian.cost.streams;

import java.time.Instant;

/** What a region's ledger keeps besides meters and buckets. */
public record LedgerMeta(String region, Instant finalizedBefore) {
}
