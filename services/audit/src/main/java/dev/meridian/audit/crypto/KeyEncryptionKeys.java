package dev.meridian.audit.crypto;

import java.util.Arrays;
import java.util.Set;

/**
 * The keys that wrap (encrypt) data keys, held by whatever keeps them: local files ({@link FileKeyEncryptionKeys}), a
 * cloud KMS, Vault's transit engine. Only wrapped data keys are stored; whoever can read the store but cannot ask this
 * provider to unwrap cannot read a payload. Each stored wrapped key is kept with the id of the key encryption key
 * (kek) that wrapped it, and unwrapping names that id, so that keys can rotate: new data keys are wrapped under
 * {@link #currentKeyId()}, while older ones still unwrap under the kek they name for as long as it is kept.
 *
 * <p>{@code associatedData} is authenticated with the wrapped key but not stored in it: an unwrap must be given the
 * same bytes as the wrap, so a wrapped key cannot be passed off as another (say, by binding the data key's id). It
 * need not be secret, and must not be: KMS logs it.
 *
 * <p>How a remote provider maps onto this interface:
 * <ul>
 * <li><b>AWS KMS</b> (a symmetric key): {@code wrap} is {@code Encrypt(KeyId = kekId, Plaintext = dataKey,
 * EncryptionContext = {"aad": base64(associatedData)})} and returns the {@code CiphertextBlob}; {@code unwrap} is
 * {@code Decrypt(CiphertextBlob = wrapped, KeyId = kekId, EncryptionContext = the same map)}, where the KeyId makes
 * KMS refuse a blob of another key. The encryption context is KMS's associated data: it must match exactly, and it
 * is written in clear to CloudTrail. Use key ARNs as kek ids, never aliases, since an alias can be pointed at another
 * key; KMS's automatic rotation keeps the ARN and decrypts old blobs itself, so the id changes only when the key
 * does. {@code NotFoundException}, {@code DisabledException} and {@code KMSInvalidStateException} (the key is gone,
 * switched off or pending deletion) map to {@link KeyEncryptionKeyException.Reason#UNKNOWN_KEY};
 * {@code InvalidCiphertextException} and {@code IncorrectKeyException} (a blob of another key) to
 * {@link KeyEncryptionKeyException.Reason#NOT_AUTHENTIC}; throttling and timeouts to
 * {@link KeyEncryptionKeyException.Reason#UNAVAILABLE}.</li>
 * <li><b>Vault transit</b> (a key of type {@code aes256-gcm96}): the kek id is the transit key's name. {@code wrap} is
 * {@code POST transit/encrypt/<kekId>} with {@code plaintext = base64(dataKey)} and
 * {@code associated_data = base64(associatedData)}, and returns the UTF-8 bytes of the {@code vault:vN:…} ciphertext;
 * {@code unwrap} is {@code POST transit/decrypt/<kekId>} with that ciphertext and the same {@code associated_data}.
 * For a key created with {@code derived=true}, {@code context = base64(associatedData)} binds the same way instead
 * (decryption derives another key from another context and fails). Vault's own key versions rotate inside the name
 * ({@code transit/keys/<kekId>/rotate}, then {@code rewrap}); a new kek id is needed only for a new transit key. A
 * missing key maps to {@code UNKNOWN_KEY}, a decryption error to {@code NOT_AUTHENTIC}, sealed or unreachable Vault
 * to {@code UNAVAILABLE}.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface KeyEncryptionKeys {

    /** The kek that new data keys are wrapped under. */
    String currentKeyId();

    /**
     * Encrypts {@code dataKey} under kek {@code kekId}, authenticating {@code associatedData} with it.
     *
     * @return the wrapped key, to be stored together with {@code kekId}
     * @throws KeyEncryptionKeyException {@link KeyEncryptionKeyException.Reason#UNKNOWN_KEY} naming {@code kekId} when
     *                                   there is no such kek
     */
    byte[] wrap(String kekId, byte[] dataKey, byte[] associatedData);

    /**
     * Decrypts what {@link #wrap} returned for {@code kekId} and the same {@code associatedData}.
     *
     * @return the data key; zero it when done
     * @throws KeyEncryptionKeyException naming {@code kekId}: {@link KeyEncryptionKeyException.Reason#UNKNOWN_KEY}
     *                                   when there is no such kek,
     *                                   {@link KeyEncryptionKeyException.Reason#NOT_AUTHENTIC} when {@code wrapped}
     *                                   does not authenticate under it with {@code associatedData}
     */
    byte[] unwrap(String kekId, byte[] wrapped, byte[] associatedData);

    /** Every kek that can unwrap, the current one among them. */
    Set<String> keyIds();

    /**
     * Moves a wrapped data key from one kek to another (after a rotation, before the old kek is retired), keeping its
     * associated data. The data key is in memory only between the two calls and zeroed after. A provider that can do
     * this without releasing the data key (KMS {@code ReEncrypt}) may override it.
     *
     * @return the data key wrapped under {@code toKekId}
     * @throws KeyEncryptionKeyException as {@link #unwrap} does for {@code fromKekId}, as {@link #wrap} does for
     *                                   {@code toKekId}
     */
    default byte[] rewrap(String fromKekId, byte[] wrapped, String toKekId, byte[] associatedData) {
        byte[] dataKey = unwrap(fromKekId, wrapped, associatedData);
        try {
            return wrap(toKekId, dataKey, associatedData);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }
}
