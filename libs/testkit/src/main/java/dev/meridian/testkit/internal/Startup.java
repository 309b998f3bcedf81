package dev.meridian.testkit.internal;

import java.util.function.Supplier;

import org.apache.kafka.common.utils.Exit;

/**
 * Runs the start of an in-process Kafka Connect component (standalone worker, MirrorMaker) so that it
 * behaves like a library call rather than a command-line tool. Not part of the kit's API.
 */
public final class Startup {

    private static final Object EXIT_GUARD = new Object();

    private Startup() {
    }

    /**
     * Connect's start-up code calls {@code Exit.exit(3)} when the worker fails to start, which would end
     * the whole JVM (test run or sandbox): here it throws instead. It also swaps the calling thread's
     * context class loader for its plugin loader and leaves it there, which breaks class loading in the
     * caller afterwards (Quarkus tests notice first): the caller's loader is put back.
     */
    public static <T> T run(String what, Supplier<T> start) {
        Thread thread = Thread.currentThread();
        ClassLoader callerLoader = thread.getContextClassLoader();
        synchronized (EXIT_GUARD) {
            Exit.setExitProcedure((status, message) -> {
                throw new IllegalStateException(what + " failed to start (exit status " + status + ")"
                        + (message == null ? "" : ": " + message));
            });
            try {
                return start.get();
            } finally {
                Exit.resetExitProcedure();
                thread.setContextClassLoader(callerLoader);
            }
        }
    }
}
