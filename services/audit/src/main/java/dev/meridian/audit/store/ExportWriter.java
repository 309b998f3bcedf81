package dev.meridian.audit.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes export rows as CSV or NDJSON straight from the driver's bytes: each column's text as PostgreSQL sent it is
 * escaped into one reused buffer, so a row costs no strings, no date objects and no JSON tree. Expects the columns of
 * {@link EventStore}'s export query (time with the session in UTC, payload as jsonb text) and the same output the
 * String-based writers produced: times as {@link java.time.Instant#toString()}, CSV by RFC 4180 with formula cells
 * defused, NDJSON escaped as Jackson escapes.
 */
final class ExportWriter {

    /** Rows handed from the fetching thread to the formatting one at a time. */
    static final int CHUNK_ROWS = 1000;
    static final int KIND = 2;
    static final int REGION = 3;
    static final int SEQUENCE = 4;
    static final int TIME = 5;
    static final int PREVIOUS_HASH = 11;
    static final int HASH = 12;
    static final int SIGNATURE = 13;
    static final int PAYLOAD = 14;
    /** A sealed payload (then {@link #PAYLOAD} is null), opened into {@link #PAYLOAD} as the row is read. */
    static final int PAYLOAD_SEALED = 15;
    static final int DATA_KEY_ID = 16;
    /** Present in filtered exports: {@code t} when the row matches the filters, {@code f} when it is only a link. */
    static final int MATCHED = 17;
    private static final byte[][] NDJSON_FIELDS = names("{\"id\":", ",\"kind\":", ",\"region\":", ",\"sequence\":",
            ",\"time\":", ",\"actor\":", ",\"action\":", ",\"resource\":", ",\"source\":", ",\"type\":",
            ",\"previousHash\":", ",\"hash\":", ",\"signature\":", ",\"payload\":");
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DIGEST = "DIGEST".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINK = "LINK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_JSON = "null".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final long deadlineNanos;
    private final PayloadVault vault;
    private final byte[] buffer = new byte[1 << 16];
    private int length;
    private final List<RegionRun> regions = new ArrayList<>();
    private RegionRun region;
    private boolean complete = true;

    /** A region's entries as written (the export is ordered by region, then sequence). */
    static final class RegionRun {
        final String region;
        long rows;
        long lastSequence;
        String lastHash;
        String lastKind;
        private byte[] lastHashBytes;
        private byte[] lastKindBytes;
        private byte[] lastSequenceBytes;
        private final byte[] regionBytes;

        RegionRun(byte[] regionBytes) {
            this.regionBytes = regionBytes;
            this.region = new String(regionBytes, StandardCharsets.UTF_8);
        }

        void finish() {
            lastSequence = Long.parseLong(new String(lastSequenceBytes, StandardCharsets.US_ASCII));
            lastHash = new String(lastHashBytes, StandardCharsets.US_ASCII);
            lastKind = new String(lastKindBytes, StandardCharsets.US_ASCII);
        }
    }

    /**
     * @param deadlineNanos {@link System#nanoTime()} past which no further chunk is written (the export's time limit)
     */
    ExportWriter(OutputStream out, long deadlineNanos, PayloadVault vault) {
        this.out = out;
        this.deadlineNanos = deadlineNanos;
        this.vault = vault;
    }

    /** The regions written, each finished: last sequence, hash and kind. */
    List<RegionRun> regions() {
        return regions;
    }

    /** False when the time limit stopped the export before its last row. */
    boolean complete() {
        return complete;
    }

    /** Notes the row's region, sequence and hash, without a string per row: regions change rarely in this order. */
    private void track(byte[][] row) {
        byte[] regionBytes = row[REGION - 1];
        if (region == null || !Arrays.equals(region.regionBytes, regionBytes)) {
            if (region != null) {
                region.finish();
            }
            region = new RegionRun(regionBytes);
            regions.add(region);
        }
        region.rows++;
        region.lastSequenceBytes = row[SEQUENCE - 1];
        region.lastHashBytes = row[HASH - 1];
        region.lastKindBytes = row[KIND - 1];
    }

    private boolean pastDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            complete = false;
        }
        return !complete;
    }

    private void finishRegions() {
        if (region != null) {
            region.finish();
        }
    }

    /** The CSV trailer: one more row, kind {@code TRAILER}, its JSON in the payload column. */
    void csvTrailer(byte[] json) throws IOException {
        ascii(",TRAILER,,,,,,,,,,,,");
        csvField(json);
        put((byte) '\n');
        flush();
    }

    /** The NDJSON trailer: a last line {@code {"trailer": …}}. */
    void ndjsonTrailer(byte[] json) throws IOException {
        ascii("{\"trailer\":");
        put(json);
        ascii("}\n");
        flush();
    }

    long csv(ResultSet rs) throws SQLException, IOException {
        ascii(EventStore.CSV_HEADER);
        long rows = 0;
        try (RowPrefetch prefetch = new RowPrefetch(rs, this::row, CHUNK_ROWS)) {
            for (List<byte[][]> chunk = prefetch.next(); chunk != null && !pastDeadline(); chunk = prefetch.next()) {
                for (byte[][] row : chunk) {
                    track(row);
                    if (linkOnly(row)) {
                        // id empty, kind LINK, region, sequence, then only previous_hash and hash.
                        put((byte) ',');
                        put(LINK);
                        put((byte) ',');
                        csvField(row[REGION - 1]);
                        put((byte) ',');
                        put(row[SEQUENCE - 1]);
                        ascii(",,,,,,,");
                        put(row[PREVIOUS_HASH - 1]);
                        put((byte) ',');
                        put(row[HASH - 1]);
                        ascii(",,\n");
                        continue;
                    }
                    for (int column = 0; column < PAYLOAD; column++) {
                        if (column > 0) {
                            put((byte) ',');
                        }
                        if (row[column] != null) {
                            csvField(row[column]);
                        }
                    }
                    put((byte) '\n');
                }
                rows += chunk.size();
            }
        }
        finishRegions();
        drain();
        return rows;
    }

    long ndjson(ResultSet rs) throws SQLException, IOException {
        long rows = 0;
        try (RowPrefetch prefetch = new RowPrefetch(rs, this::row, CHUNK_ROWS)) {
            for (List<byte[][]> chunk = prefetch.next(); chunk != null && !pastDeadline(); chunk = prefetch.next()) {
                for (byte[][] row : chunk) {
                    track(row);
                    if (linkOnly(row)) {
                        ascii("{\"link\":{\"region\":");
                        jsonString(row[REGION - 1]);
                        ascii(",\"sequence\":");
                        put(row[SEQUENCE - 1]);
                        ascii(",\"previousHash\":\"");
                        put(row[PREVIOUS_HASH - 1]);
                        ascii("\",\"hash\":\"");
                        put(row[HASH - 1]);
                        ascii("\"}}\n");
                        continue;
                    }
                    for (int column = 1; column <= PAYLOAD; column++) {
                        byte[] value = row[column - 1];
                        if (column == SIGNATURE && value == null) {
                            continue;
                        }
                        put(NDJSON_FIELDS[column - 1]);
                        if (column == SEQUENCE || column == PAYLOAD) {
                            put(value); // a number, and jsonb's text: JSON already
                        } else {
                            jsonString(value);
                        }
                    }
                    put((byte) '}');
                    put((byte) '\n');
                }
                rows += chunk.size();
            }
        }
        finishRegions();
        drain();
        return rows;
    }

    /**
     * One row's columns as PostgreSQL sent them (no copy), the time already in ISO-8601, a sealed payload opened. A
     * payload that does not authenticate is written as JSON {@code null}: the entry's hash then fails wherever the
     * export is verified, at exactly that entry, as verification on the server reports it.
     */
    private byte[][] row(ResultSet rs) throws SQLException {
        int columns = rs.getMetaData().getColumnCount();
        byte[][] row = new byte[columns][];
        for (int column = 1; column <= columns; column++) {
            row[column - 1] = column == TIME ? time(rs) : rs.getBytes(column);
        }
        if (row[PAYLOAD - 1] == null && row[PAYLOAD_SEALED - 1] != null) {
            String id = rs.getString(1);
            long sequence = Long.parseLong(rs.getString(SEQUENCE));
            try {
                row[PAYLOAD - 1] = vault.open(rs.getStatement().getConnection(), id, rs.getString(REGION), sequence,
                        row[PAYLOAD_SEALED - 1], rs.getString(DATA_KEY_ID));
            } catch (BrokenSeal broken) {
                row[PAYLOAD - 1] = NULL_JSON;
            }
        }
        return row;
    }

    /** A row outside the filters, in a filtered export: only its place and hashes, unless it is a digest. */
    private static boolean linkOnly(byte[][] row) {
        return row.length >= MATCHED && row[MATCHED - 1] != null && row[MATCHED - 1][0] == 'f'
                && !Arrays.equals(row[KIND - 1], DIGEST);
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. Cells starting with = + - @, tab
     *  or carriage return are prefixed with ' so a spreadsheet never runs an actor's name as a formula (OWASP). */
    private void csvField(byte[] value) throws IOException {
        boolean formula = value.length > 0 && (value[0] == '=' || value[0] == '+' || value[0] == '-'
                || value[0] == '@' || value[0] == '\t' || value[0] == '\r');
        boolean quote = formula;
        for (int i = 0; i < value.length && !quote; i++) {
            byte b = value[i];
            quote = b == ',' || b == '"' || b == '\n' || b == '\r';
        }
        if (!quote) {
            put(value);
            return;
        }
        put((byte) '"');
        if (formula) {
            put((byte) '\'');
        }
        for (byte b : value) {
            if (b == '"') {
                put((byte) '"');
            }
            put(b);
        }
        put((byte) '"');
    }

    /** A JSON string of UTF-8 bytes: quote, backslash and control characters escaped; the rest (multi-byte too) as is. */
    private void jsonString(byte[] value) throws IOException {
        put((byte) '"');
        for (byte b : value) {
            if (b == '"' || b == '\\') {
                put((byte) '\\');
                put(b);
            } else if (b >= 0 && b < 0x20) {
                switch (b) {
                    case '\n' -> escaped('n');
                    case '\r' -> escaped('r');
                    case '\t' -> escaped('t');
                    case '\b' -> escaped('b');
                    case '\f' -> escaped('f');
                    default -> {
                        escaped('u');
                        put((byte) '0');
                        put((byte) '0');
                        put(HEX[b >> 4]);
                        put(HEX[b & 0xf]);
                    }
                }
            } else {
                put(b);
            }
        }
        put((byte) '"');
    }

    private void escaped(char c) throws IOException {
        put((byte) '\\');
        put((byte) c);
    }

    /**
     * PostgreSQL's {@code 2026-11-27 10:00:00.12+00} (ISO style, session zone UTC) as {@code Instant.toString()} writes
     * it, {@code 2026-11-27T10:00:00.120Z}: fraction digits padded to 3 or 6, as many as it needs. Anything else
     * (years past 9999, a zone not UTC) goes through the driver's own parsing.
     */
    static byte[] time(ResultSet rs) throws SQLException {
        byte[] pg = rs.getBytes(TIME);
        byte[] iso = isoTime(pg);
        return iso != null ? iso : rs.getObject(TIME, OffsetDateTime.class).toInstant().toString()
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** @return null when {@code pg} is not the plain UTC form this converts */
    static byte[] isoTime(byte[] pg) {
        int n = pg.length;
        if (n < 22 || pg[10] != ' ' || pg[4] != '-' || pg[n - 3] != '+' || pg[n - 2] != '0' || pg[n - 1] != '0') {
            return null;
        }
        int digits = n - 3 - 19 == 0 ? 0 : n - 3 - 20; // after "yyyy-mm-dd hh:mm:ss" comes "" or ".d…"
        if (digits < 0 || digits > 6 || (digits > 0 && pg[19] != '.')) {
            return null;
        }
        int padded = digits == 0 ? 0 : digits <= 3 ? 3 : 6;
        byte[] iso = new byte[19 + (padded == 0 ? 0 : 1 + padded) + 1];
        System.arraycopy(pg, 0, iso, 0, 19 + (digits == 0 ? 0 : 1 + digits));
        iso[10] = 'T';
        for (int i = 20 + digits; i < 20 + padded; i++) {
            iso[i] = '0';
        }
        iso[iso.length - 1] = 'Z';
        return iso;
    }

    private void ascii(String text) throws IOException {
        put(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void put(byte b) throws IOException {
        if (length == buffer.length) {
            drain();
        }
        buffer[length++] = b;
    }

    private void put(byte[] bytes) throws IOException {
        if (length + bytes.length > buffer.length) {
            drain();
            if (bytes.length > buffer.length) {
                out.write(bytes);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void drain() throws IOException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    private void flush() throws IOException {
        drain();
        out.flush();
    }

    private static byte[][] names(String... names) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
