package dev.meridian.audit.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Entries streamed into a table with {@code COPY … FROM STDIN} (text format), encoded straight to UTF-8 and sent 64 KiB
 * at a time while the next entries are still being read: PostgreSQL inserts the first rows while this side parses the
 * rest, and no batch-sized string is ever built.
 */
final class CopyStream {

    static final String COLUMNS = "id, kind, region, sequence, time, actor, action, resource, source, type, payload,"
            + " previous_hash, hash, signature, payload_sealed, data_key_id";
    private static final byte[] NULL = {'\\', 'N'};

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final CopyIn copy;
    private final PayloadVault vault;
    private final byte[] buffer = new byte[1 << 16];
    private int length;

    private CopyStream(CopyIn copy, PayloadVault vault) {
        this.copy = copy;
        this.vault = vault;
    }

    /** Starts a COPY into {@code table}, sealing records' payloads with {@code vault}; the caller owns the transaction. */
    static CopyStream open(Connection connection, String table, PayloadVault vault) throws SQLException {
        return new CopyStream(connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN"), vault);
    }

    /** One line: tab-separated, {@code \N} for null, backslash escapes; the payload in clear or sealed. */
    void row(LogEntry entry) throws SQLException {
        PayloadVault.Sealed sealed = vault.seal(entry);
        text(entry.id()).tab().text(entry.kind()).tab().text(entry.region()).tab()
                .ascii(Long.toString(entry.sequence())).tab().ascii(entry.time().toString()).tab()
                .text(entry.actor()).tab().text(entry.action()).tab().text(entry.resource()).tab()
                .text(entry.source()).tab().text(entry.type()).tab().text(sealed == null ? entry.payloadJson() : null)
                .tab().text(entry.previousHash()).tab().text(entry.hash()).tab().text(entry.signature()).tab();
        if (sealed == null) {
            put(NULL);
            tab().put(NULL);
        } else {
            bytea(sealed.bytes()).tab().text(sealed.keyId());
        }
        put((byte) '\n');
    }

    /** bytea in COPY's text format: {@code \\x} and hex digits (the backslash itself escaped, as in every text field). */
    private CopyStream bytea(byte[] bytes) throws SQLException {
        byte[] hex = new byte[3 + bytes.length * 2];
        hex[0] = '\\';
        hex[1] = '\\';
        hex[2] = 'x';
        for (int i = 0; i < bytes.length; i++) {
            hex[3 + 2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            hex[4 + 2 * i] = HEX[bytes[i] & 0xf];
        }
        put(hex);
        return this;
    }

    /** Sends what is buffered and ends the COPY. @return rows PostgreSQL took */
    long end() throws SQLException {
        flush();
        return copy.endCopy();
    }

    /** Abandons the COPY (after a failure) so the connection can roll back; never throws. */
    void cancel() {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // The connection is broken; the transaction is rolled back with it.
        }
    }

    private CopyStream tab() throws SQLException {
        put((byte) '\t');
        return this;
    }

    private CopyStream text(String value) throws SQLException {
        if (value == null) {
            put(NULL);
        } else {
            put(escape(value).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    private CopyStream ascii(String value) throws SQLException {
        put(value.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** COPY's text format gives backslash, newline, carriage return and tab a meaning: those are escaped. */
    static String escape(String value) {
        int i = 0;
        while (i < value.length() && !special(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, i);
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\n' || c == '\r' || c == '\t';
    }

    private void put(byte b) throws SQLException {
        if (length == buffer.length) {
            flush();
        }
        buffer[length++] = b;
    }

    private void put(byte[] bytes) throws SQLException {
        if (length + bytes.length > buffer.length) {
            flush();
            if (bytes.length > buffer.length) {
                copy.writeToCopy(bytes, 0, bytes.length);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void flush() throws SQLException {
        if (length > 0) {
            copy.writeToCopy(buffer, 0, length);
            length = 0;
        }
    }
}
