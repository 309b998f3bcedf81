package dev.meridian.audit.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads an export's rows on a thread of its own, up to two chunks ahead of the thread writing them out. A cursor
 * fetch waits for PostgreSQL and formatting waits for the fetch when one thread does both; this way PostgreSQL
 * produces the next rows while the previous ones are formatted, on two cores almost doubling an export's rate.
 * Memory stays bounded by the queue: at most four chunks of rows exist at once.
 */
final class RowPrefetch implements AutoCloseable {

    /** How one row is taken from the result set: on the fetching thread, the only one touching it. */
    interface RowReader {
        byte[][] read(ResultSet rs) throws SQLException;
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(2);
    private final Thread thread;
    private volatile boolean closed;

    RowPrefetch(ResultSet rs, RowReader reader, int chunkRows) {
        thread = new Thread(() -> fetch(rs, reader, chunkRows), "audit-export-fetch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next chunk of rows, or null after the last. */
    @SuppressWarnings("unchecked")
    List<byte[][]> next() throws SQLException {
        Object chunk;
        try {
            chunk = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("export interrupted", e);
        }
        if (chunk == END) {
            return null;
        }
        if (chunk instanceof SQLException e) {
            throw new SQLException(e.getMessage(), e.getSQLState(), e);
        }
        if (chunk instanceof RuntimeException e) {
            throw new IllegalStateException("export fetch failed", e);
        }
        return (List<byte[][]>) chunk;
    }

    private void fetch(ResultSet rs, RowReader reader, int chunkRows) {
        try {
            List<byte[][]> chunk = new ArrayList<>(chunkRows);
            while (!closed && rs.next()) {
                chunk.add(reader.read(rs));
                if (chunk.size() == chunkRows) {
                    chunks.put(chunk);
                    chunk = new ArrayList<>(chunkRows);
                }
            }
            if (!chunk.isEmpty()) {
                chunks.put(chunk);
            }
            chunks.put(END);
        } catch (InterruptedException e) {
            // close(): the reader has gone away.
        } catch (SQLException | RuntimeException e) {
            chunks.clear();
            chunks.offer(e);
        }
    }

    /** Stops fetching and waits until the result set is no longer used, so the caller may close the connection. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
