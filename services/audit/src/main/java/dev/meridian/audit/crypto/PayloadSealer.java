package dev.meridian.audit.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Seals payloads with a {@link DataKey} (AES-256-GCM) and opens them again. A sealed payload is {@code 0x01} (format
 * version) ‖ 12-byte random nonce ‖ ciphertext ‖ 16-byte tag: 29 bytes more than the plaintext.
 *
 * <p>The associated data is authenticated but not stored: {@link #open} needs the same bytes {@link #seal} was given.
 * For a row of the store that is {@link #associatedData(String, String, long)}, which binds the ciphertext to the row,
 * so that a ciphertext moved to another row no longer opens.
 *
 * <p>Thread-safe and cheap to share: each thread keeps its own {@code Cipher} and random source.
 *
 * <p>Nonces are random, so one data key must seal fewer than 2<sup>32</sup> payloads in all (NIST SP 800-38D's bound
 * for random 96-bit nonces), counted over every thread and writer that uses it. Switch data keys by count, not by
 * calendar: at 50 000 rows a second a month is about 2<sup>37</sup> rows, while a new data key every 100 million seals
 * (about half an hour at that rate) keeps the chance of a repeated nonce below 10<sup>-13</sup>.
 */
public final class PayloadSealer {

    /** Labels the associated data so that it can never be read as that of another use of the same key. */
    static final String ROW_LABEL = "meridian.audit.payload.v1";

    /**
     * @return format version ‖ nonce ‖ ciphertext ‖ tag
     */
    public byte[] seal(DataKey key, byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        return AesGcm.seal(key.secretKey(), plaintext, associatedData);
    }

    /**
     * @throws SealBrokenException when {@code sealed} is too short, of an unknown format version, or does not
     *                             authenticate under {@code key} with {@code associatedData}
     */
    public byte[] open(DataKey key, byte[] sealed, byte[] associatedData) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(associatedData, "associatedData");
        return AesGcm.open(key.secretKey(), sealed, associatedData, "payload sealed with data key '" + key.id() + "'");
    }

    /**
     * The associated data binding a payload to its row. Each text is its length in UTF-8 bytes (4 bytes, big-endian)
     * followed by those bytes, so no two different rows give the same bytes ({@code ("ab", "c")} and
     * {@code ("a", "bc")} differ):
     *
     * <pre>
     * len ‖ "meridian.audit.payload.v1" ‖ len ‖ rowId ‖ len ‖ region ‖ sequence
     * </pre>
     *
     * where the sequence is 8 bytes, big-endian, two's complement.
     *
     * <p>Every stored ciphertext depends on this layout: changing it makes every stored payload unreadable. It names
     * no table, so a row copied elsewhere as it is (retention keeps digests in {@code audit.anchors}) still opens.
     */
    public static byte[] associatedData(String rowId, String region, long sequence) {
        byte[] label = ROW_LABEL.getBytes(StandardCharsets.UTF_8);
        byte[] id = Objects.requireNonNull(rowId, "rowId").getBytes(StandardCharsets.UTF_8);
        byte[] chain = Objects.requireNonNull(region, "region").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 * Integer.BYTES + label.length + id.length + chain.length + Long.BYTES)
                .putInt(label.length).put(label)
                .putInt(id.length).put(id)
                .putInt(chain.length).put(chain)
                .putLong(sequence)
                .array();
    }
}
