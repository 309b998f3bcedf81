package dev.meridian.audit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DataKeyTest {

    @Test
    void aGeneratedKeyIs32RandomBytesUnderItsId() {
        DataKey first = DataKeys.generate("dk-1");
        DataKey second = DataKeys.generate("dk-1");

        assertThat(first.id()).isEqualTo("dk-1");
        assertThat(first.key()).hasSize(32).isNotEqualTo(second.key());
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void toStringNamesTheIdButNotTheKey() {
        DataKey key = DataKeys.generate("dk-7");
        byte[] bytes = key.key();

        assertThat(key.toString()).contains("dk-7")
                .doesNotContain(HexFormat.of().formatHex(bytes))
                .doesNotContain(HexFormat.of().withUpperCase().formatHex(bytes))
                .doesNotContain(Base64.getEncoder().encodeToString(bytes))
                .doesNotContain("[B@");
    }

    @Test
    void theKeyIsCopiedInAndOut() {
        byte[] bytes = new byte[32];
        bytes[0] = 7;
        DataKey key = new DataKey("dk-1", bytes);

        bytes[0] = 0;
        key.key()[0] = 0;

        assertThat(key.key()[0]).isEqualTo((byte) 7);
    }

    @Test
    void keysOfTheSameIdAndBytesAreEqual() {
        byte[] bytes = DataKeys.generate("x").key();

        assertThat(new DataKey("dk-1", bytes)).isEqualTo(new DataKey("dk-1", bytes.clone()))
                .hasSameHashCodeAs(new DataKey("dk-1", bytes.clone()))
                .isNotEqualTo(new DataKey("dk-2", bytes));
    }

    @Test
    void aKeyOfAnotherLengthOrABlankIdIsRefused() {
        assertThatThrownBy(() -> new DataKey("dk-1", new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dk-1").hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> new DataKey(" ", new byte[32])).isInstanceOf(IllegalArgumentException.class);
    }
}
