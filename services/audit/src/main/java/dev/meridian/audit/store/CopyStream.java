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
            + " previous_hash, hash, signature";
    private static final byte[] NULL = {'\\', 'N'};

    private final CopyIn copy;
    private final byte[] buffer = new byte[1 << 16];
    private int length;

    private CopyStream(CopyIn copy) {
        this.copy = copy;
    }

    /** Starts a COPY into {@code table}; the caller owns the transaction. */
    static CopyStream open(Connection connection, String table) throws SQLException {
        return new CopyStream(connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN"));
    }

    /** One line: tab-separated, {@code \N} for null, backslash escapes. */
    void row(LogEntry entry) throws SQLException {
        text(entry.id()).tab().text(entry.kind()).tab().text(entry.region()).tab()
                .ascii(Long.toString(entry.sequence())).tab().ascii(entry.time().toString()).tab()
                .text(entry.actor()).tab().text(entry.action()).tab().text(entry.resource()).tab()
                .text(entry.source()).tab().text(entry.type()).tab().text(entry.payloadJson()).tab()
                .text(entry.previousHash()).tab().text(entry.hash()).tab().text(entry.signature());
        put((byte) '\n');
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
