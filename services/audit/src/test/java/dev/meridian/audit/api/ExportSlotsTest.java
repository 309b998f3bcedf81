package dev.meridian.audit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExportSlotsTest {

    private final AtomicLong now = new AtomicLong();
    private final ExportSlots slots = new ExportSlots(2, Duration.ofMinutes(11), now::get);

    @Test
    void oneExportMoreThanTheSlotsIsRefusedUntilOneEnds() {
        ExportSlots.Slot first = slots.take();
        ExportSlots.Slot second = slots.take();

        assertThatThrownBy(slots::take).isInstanceOfSatisfying(ExportRefusedException.class,
                e -> assertThat(e.status()).isEqualTo(429));
        first.close();
        first.close(); // closing twice gives back one slot, not two
        ExportSlots.Slot third = slots.take();
        assertThatThrownBy(slots::take).isInstanceOf(ExportRefusedException.class);
        second.close();
        third.close();
    }

    @Test
    void aSlotWhoseExportNeverEndedIsTakenBackAfterTheTimeLimitAndAMinute() {
        slots.take();
        slots.take();
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThatThrownBy(slots::take).isInstanceOf(ExportRefusedException.class);

        now.addAndGet(Duration.ofMinutes(2).toNanos());

        ExportSlots.Slot next = slots.take();
        slots.take();
        assertThatThrownBy(slots::take).isInstanceOf(ExportRefusedException.class);
        next.close();
    }
}
