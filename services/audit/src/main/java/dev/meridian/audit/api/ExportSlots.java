package dev.meridian.audit.api;

import dev.meridian.audit.config.AuditConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/** The exports that may run at once ({@code meridian.audit.api.export-max-concurrent}); one more is refused, not queued. */
@ApplicationScoped
public class ExportSlots {

    private final Semaphore slots;
    private final int size;

    @Inject
    ExportSlots(AuditConfig config) {
        this(config.api().exportMaxConcurrent());
    }

    ExportSlots(int size) {
        this.size = size;
        this.slots = new Semaphore(size);
    }

    /** A held slot; closing it (once) gives it back. */
    public final class Slot implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                slots.release();
            }
        }
    }

    /** @throws ExportRefusedException (429) when every slot is taken */
    public Slot take() {
        if (!slots.tryAcquire()) {
            throw new ExportRefusedException(429, size + " exports are running already; retry when one has ended");
        }
        return new Slot();
    }
}
