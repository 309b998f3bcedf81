package dev.meridian.audit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PayloadSealerTest {

    private static final byte[] PAYLOAD = "{\"node\":\"gpu-7\",\"note\":\"größer\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ROW = PayloadSealer.associatedData("row-1", "us-east", 42);
    private static final int NONCE_AT = 1;
    private static final int CIPHERTEXT_AT = 13;

    private final PayloadSealer sealer = new PayloadSealer();
    private final DataKey key = DataKeys.generate("dk-1");

    @Test
    void whatIsSealedOpensToTheSamePlaintext() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);

        assertThat(sealer.open(key, sealed, ROW)).isEqualTo(PAYLOAD);
    }

    @Test
    void anEmptyPayloadRoundTrips() {
        byte[] sealed = sealer.seal(key, new byte[0], ROW);

        assertThat(sealed).hasSize(29);
        assertThat(sealer.open(key, sealed, ROW)).isEmpty();
    }

    @Test
    void aSealIsVersionOneThenNonceThenCiphertextAndTagAndHidesThePlaintext() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);

        assertThat(sealed).hasSize(1 + 12 + PAYLOAD.length + 16);
        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("gpu-7");
    }

    @Test
    void twoSealsOfTheSamePlaintextDiffer() {
        byte[] first = sealer.seal(key, PAYLOAD, ROW);
        byte[] second = sealer.seal(key, PAYLOAD, ROW);

        assertThat(first).isNotEqualTo(second);
        assertThat(Arrays.copyOfRange(first, NONCE_AT, CIPHERTEXT_AT))
                .isNotEqualTo(Arrays.copyOfRange(second, NONCE_AT, CIPHERTEXT_AT));
    }

    @Test
    void aFlippedCiphertextByteBreaksTheSeal() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);
        sealed[CIPHERTEXT_AT + 3] ^= 0x01;

        assertThatThrownBy(() -> sealer.open(key, sealed, ROW)).isInstanceOf(SealBrokenException.class)
                .hasMessageContaining("dk-1").hasMessageContaining("does not authenticate");
    }

    @Test
    void aFlippedNonceByteBreaksTheSeal() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);
        sealed[NONCE_AT + 5] ^= 0x40;

        assertThatThrownBy(() -> sealer.open(key, sealed, ROW)).isInstanceOf(SealBrokenException.class);
    }

    @Test
    void aFlippedTagByteBreaksTheSeal() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);
        sealed[sealed.length - 1] ^= (byte) 0x80;

        assertThatThrownBy(() -> sealer.open(key, sealed, ROW)).isInstanceOf(SealBrokenException.class);
    }

    @Test
    void aPayloadMovedToAnotherRowDoesNotOpen() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);

        assertThatThrownBy(() -> sealer.open(key, sealed, PayloadSealer.associatedData("row-2", "us-east", 42)))
                .isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> sealer.open(key, sealed, PayloadSealer.associatedData("row-1", "eu-west", 42)))
                .isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> sealer.open(key, sealed, PayloadSealer.associatedData("row-1", "us-east", 43)))
                .isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> sealer.open(key, sealed, new byte[0])).isInstanceOf(SealBrokenException.class);
    }

    @Test
    void anotherDataKeyDoesNotOpenTheSeal() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);
        DataKey sameIdOtherKey = DataKeys.generate("dk-1");

        assertThatThrownBy(() -> sealer.open(sameIdOtherKey, sealed, ROW)).isInstanceOf(SealBrokenException.class);
    }

    @Test
    void aTruncatedSealIsBroken() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);

        assertThatThrownBy(() -> sealer.open(key, Arrays.copyOf(sealed, sealed.length - 1), ROW))
                .isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> sealer.open(key, Arrays.copyOf(sealed, 28), ROW))
                .isInstanceOf(SealBrokenException.class).hasMessageContaining("28 bytes");
        assertThatThrownBy(() -> sealer.open(key, new byte[0], ROW)).isInstanceOf(SealBrokenException.class);
    }

    @Test
    void anUnknownVersionIsBroken() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);
        sealed[0] = 2;

        assertThatThrownBy(() -> sealer.open(key, sealed, ROW)).isInstanceOf(SealBrokenException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void aFailedOpenLeavesTheThreadsCipherUsable() {
        byte[] sealed = sealer.seal(key, PAYLOAD, ROW);
        byte[] tampered = sealed.clone();
        tampered[CIPHERTEXT_AT] ^= 0x01;
        assertThatThrownBy(() -> sealer.open(key, tampered, ROW)).isInstanceOf(SealBrokenException.class);

        assertThat(sealer.open(key, sealed, ROW)).isEqualTo(PAYLOAD);
        assertThat(sealer.open(key, sealer.seal(key, PAYLOAD, ROW), ROW)).isEqualTo(PAYLOAD);
    }

    @Test
    void threadsSharingOneSealerEachGetTheirOwnPayloadsBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                DataKey own = DataKeys.generate("dk-" + w);
                String region = "region-" + w;
                workers.add(() -> {
                    for (int i = 0; i < 500; i++) {
                        byte[] plaintext = ("{\"i\":" + i + ",\"r\":\"" + region + "\"}")
                                .getBytes(StandardCharsets.UTF_8);
                        byte[] aad = PayloadSealer.associatedData("row-" + i, region, i);
                        assertThat(sealer.open(own, sealer.seal(own, plaintext, aad), aad)).isEqualTo(plaintext);
                    }
                    return 500;
                });
            }
            int opened = 0;
            for (Future<Integer> done : pool.invokeAll(workers)) {
                opened += done.get();
            }
            assertThat(opened).isEqualTo(4000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void associatedDataKeepsFieldsApart() {
        assertThat(PayloadSealer.associatedData("ab", "c", 1))
                .isNotEqualTo(PayloadSealer.associatedData("a", "bc", 1));
        assertThat(PayloadSealer.associatedData("a", "b", 1)).isNotEqualTo(PayloadSealer.associatedData("a", "b", 2))
                .isEqualTo(PayloadSealer.associatedData("a", "b", 1));
    }

    @Test
    void associatedDataIsLengthPrefixedUtf8AndABigEndianSequence() {
        byte[] label = "meridian.audit.payload.v1".getBytes(StandardCharsets.UTF_8);
        byte[] expected = ByteBuffer.allocate(4 + label.length + 4 + 2 + 4 + 3 + 8)
                .putInt(label.length).put(label)
                .putInt(2).put("ß".getBytes(StandardCharsets.UTF_8))
                .putInt(3).put("e-1".getBytes(StandardCharsets.UTF_8))
                .putLong(258)
                .array();

        assertThat(PayloadSealer.associatedData("ß", "e-1", 258)).isEqualTo(expected);
    }
}
