package dev.meridian.audit.api;

import dev.meridian.audit.config.AuditConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The exports that may run at once ({@code meridian.audit.api.export-max-concurrent}); one more is refused, not queued.
 *
 * <p>A slot is given back when its export ends. One whose export never ran (the request was cancelled before its body
 * was written) would otherwise be lost for good: a slot held longer than the export time limit and a minute is taken
 * back when the slots run out.
 */
@ApplicationScoped
public class ExportSlots {

    private final Semaphore slots;
    private final int size;
    private final long staleAfterNanos;
    private final LongSupplier nanoTime;
    private final Set<Slot> held = ConcurrentHashMap.newKeySet();

    @Inject
    ExportSlots(AuditConfig config) {
        this(config.api().exportMaxConcurrent(), config.api().exportMaxTime().plusMinutes(1), System::nanoTime);
    }

    ExportSlots(int size, Duration staleAfter, LongSupplier nanoTime) {
        this.size = size;
        this.slots = new Semaphore(size);
        this.staleAfterNanos = staleAfter.toNanos();
        this.nanoTime = nanoTime;
    }

    /** A held slot; closing it (once) gives it back. */
    public final class Slot implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final long takenAt = nanoTime.getAsLong();

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                held.remove(this);
                slots.release();
            }
        }
    }

    /** @throws ExportRefusedException (429) when every slot is taken */
    public Slot take() {
        if (!slots.tryAcquire()) {
            long now = nanoTime.getAsLong();
            held.stream().filter(slot -> now - slot.takenAt > staleAfterNanos).forEach(Slot::close);
            if (!slots.tryAcquire()) {
                throw new ExportRefusedException(429, size + " exports are running already; retry when one has ended");
            }
        }
        Slot slot = new Slot();
        held.add(slot);
        return slot;
    }
}
