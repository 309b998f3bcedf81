package dev.meridian.audit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExportSlotsTest {

    @Test
    void oneExportMoreThanTheSlotsIsRefusedUntilOneEnds() {
        ExportSlots slots = new ExportSlots(2);
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
}
