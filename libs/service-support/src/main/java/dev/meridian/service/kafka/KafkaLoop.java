package dev.meridian.service.kafka;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A hand-built Kafka loop on a thread of its own: started and stopped once, woken out of a blocking poll on stop,
 * restarted after a failure, and telling health checks whether it still works.
 *
 * <p>The body ({@link Body}) builds its clients, registers the consumer with {@link #wakeOnStop} and polls while
 * {@link #running()}. When it throws, the failure is logged and the body runs again after the restart
 * delay, with fresh clients: a broker that was away or a database that refused a batch must not end the loop. A body
 * that must not be restarted (another instance fenced this one) throws {@link Halt}: the loop ends and
 * {@link #halted()} says why.
 *
 * <p>Used where a loop needs what Reactive Messaging does not give: transactions spanning a database or a
 * transactional producer, manual assignment, fencing.
 */
public final class KafkaLoop {

    private static final System.Logger LOG = System.getLogger(KafkaLoop.class.getName());

    /** What the loop runs; called again after it failed, so it builds its clients inside. */
    @FunctionalInterface
    public interface Body {
        void run(KafkaLoop loop) throws Exception;
    }

    /** Ends the loop for good, e.g. when another instance has fenced this one. */
    public static final class Halt extends RuntimeException {
        public Halt(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private final String name;
    private final Body body;
    private final Duration restartDelay;
    private volatile boolean running;
    private volatile Consumer<?, ?> consumer;
    private volatile Halt halted;
    private Thread thread;

    private KafkaLoop(String name, Body body, Duration restartDelay) {
        this.name = Objects.requireNonNull(name, "name");
        this.body = Objects.requireNonNull(body, "body");
        this.restartDelay = Objects.requireNonNull(restartDelay, "restartDelay");
    }

    /** Starts {@code body} on a daemon thread named {@code name}. */
    public static KafkaLoop start(String name, Duration restartDelay, Body body) {
        KafkaLoop loop = new KafkaLoop(name, body, restartDelay);
        loop.running = true;
        loop.thread = new Thread(loop::runUntilStopped, name);
        loop.thread.setDaemon(true);
        loop.thread.start();
        return loop;
    }

    /** True until {@link #stop} was called; the body polls while it is. */
    public boolean running() {
        return running;
    }

    /** The consumer {@link #stop} wakes out of its poll; returns it for chaining. */
    public <C extends Consumer<?, ?>> C wakeOnStop(C polled) {
        this.consumer = polled;
        if (!running) {
            polled.wakeup();
        }
        return polled;
    }

    /** Ends the loop, waiting up to {@code wait} for the body to return. */
    public void stop(Duration wait) {
        running = false;
        Consumer<?, ?> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The body's thread is alive, or was stopped on purpose; false once it halted or died. */
    public boolean isLive() {
        return halted == null && (thread.isAlive() || !running);
    }

    /** Why the loop ended for good, or null while it has not. */
    public Halt halted() {
        return halted;
    }

    private void runUntilStopped() {
        while (running) {
            try {
                body.run(this);
            } catch (Halt e) {
                halted = e;
                LOG.log(Level.ERROR, name + " halted: " + e.getMessage(), e);
                return;
            } catch (WakeupException e) {
                // stop() woke the poll; the loop condition ends it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.ERROR, name + " failed; restarting it in " + restartDelay.toMillis() + " ms", e);
                LockSupport.parkNanos(restartDelay.toNanos());
            } finally {
                consumer = null;
            }
        }
    }
}
