package dev.meridian.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a sandbox started, stopped in reverse order: the simulator before the services, the services before Connect,
 * Connect before Kafka. A failure to stop one is reported and the rest are stopped all the same.
 */
final class StopStack implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** Adds something to stop before everything added so far; returns it. */
    synchronized <T extends AutoCloseable> T push(T closeable) {
        started.push(closeable);
        return closeable;
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("while stopping " + next + ": " + e);
            }
        }
    }
}
