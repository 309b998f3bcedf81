package dev.meridian.audit.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM in the one layout this package writes, for payloads and wrapped data keys alike: format version
 * {@value #VERSION} ‖ 12-byte random nonce ‖ ciphertext ‖ 128-bit tag.
 */
final class AesGcm {

    static final byte VERSION = 1;
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int CIPHERTEXT_OFFSET = 1 + NONCE_BYTES;

    // Cipher.getInstance searches the providers on every call and a Cipher is not thread-safe: each thread keeps one
    // and initialises it anew for every call, which also clears whatever state a failed call left behind.
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(AesGcm::newCipher);
    // The default SecureRandom on Linux (NativePRNG) serialises every instance on one global lock; independent DRBG
    // instances per thread keep the writer's threads from queueing for nonces.
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(AesGcm::newRandom);

    private AesGcm() {
    }

    static byte[] seal(SecretKey key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.get().nextBytes(nonce);
        byte[] sealed = new byte[OVERHEAD + plaintext.length];
        sealed[0] = VERSION;
        System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
        Cipher cipher = CIPHER.get();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, CIPHERTEXT_OFFSET);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
        return sealed;
    }

    /**
     * @param what names the sealed value in messages, e.g. "payload sealed with data key 'dk-1'"
     * @throws SealBrokenException when it is too short, of another version or does not authenticate
     */
    static byte[] open(SecretKey key, byte[] sealed, byte[] associatedData, String what) {
        if (sealed.length < OVERHEAD) {
            throw new SealBrokenException(what + " is " + sealed.length + " bytes, shorter than the " + OVERHEAD
                    + " of an empty seal: it was cut short");
        }
        if (sealed[0] != VERSION) {
            throw new SealBrokenException(what + " has format version " + Byte.toUnsignedInt(sealed[0])
                    + "; only version " + VERSION + " is known");
        }
        byte[] plaintext = new byte[sealed.length - OVERHEAD];
        Cipher cipher = CIPHER.get();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            cipher.doFinal(sealed, CIPHERTEXT_OFFSET, sealed.length - CIPHERTEXT_OFFSET, plaintext, 0);
        } catch (AEADBadTagException e) {
            throw new SealBrokenException(what + " does not authenticate: the key is not the one it was sealed with,"
                    + " or its ciphertext, nonce or associated data changed", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
        return plaintext;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available in this JDK", e);
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
