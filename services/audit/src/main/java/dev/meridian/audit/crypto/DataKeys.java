package dev.meridian.audit.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/** Makes new data keys. */
public final class DataKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DataKeys() {
    }

    /** A new data key of 32 bytes from {@link SecureRandom}, to be wrapped and stored under {@code id}. */
    public static DataKey generate(String id) {
        byte[] key = new byte[AesGcm.KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            return new DataKey(id, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
