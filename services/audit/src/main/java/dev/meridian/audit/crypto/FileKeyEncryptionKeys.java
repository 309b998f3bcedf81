package dev.meridian.audit.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key encryption keys kept as files in one directory — a Kubernetes Secret mounted as a volume, or a directory the
 * sandbox writes:
 * <ul>
 * <li>{@code <kekId>.key}: the base64 text of 32 random bytes, an AES-256 key (surrounding whitespace is ignored);</li>
 * <li>{@code current}: the id of the kek new data keys are wrapped under, which must have its {@code .key} file.</li>
 * </ul>
 * Kek ids are 1 to 64 of {@code A-Z a-z 0-9 . _ -}, which are also the characters a Secret's data key may have. Other
 * files are ignored, as are the {@code ..data} links Kubernetes adds (the key files themselves may be links).
 *
 * <p>A data key is wrapped with AES-256-GCM exactly as {@link PayloadSealer} seals a payload: {@code 0x01} ‖ 12-byte
 * random nonce ‖ encrypted key ‖ 16-byte tag, the associated data authenticated along.
 *
 * <p>{@link #load} reads the directory once; to pick up a rotation, load it again. To rotate: {@link #generate} a new
 * kek with {@code makeCurrent} (or add its file and change {@code current} in the Secret), and keep every older key
 * file until no stored data key is wrapped under it any more ({@link KeyEncryptionKeys#rewrap}).
 *
 * <p>Immutable and thread-safe. No message, and not {@link #toString()}, holds key material.
 */
public final class FileKeyEncryptionKeys implements KeyEncryptionKeys {

    /** The file naming the current kek. */
    public static final String CURRENT_FILE = "current";
    /** How a key file's name ends after its kek id. */
    public static final String KEY_SUFFIX = ".key";

    private static final Pattern KEK_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String KEK_ID_RULE = "1 to 64 of A-Z a-z 0-9 . _ -";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final Map<String, SecretKey> keys;
    private final String currentKeyId;

    private FileKeyEncryptionKeys(Path directory, Map<String, SecretKey> keys, String currentKeyId) {
        this.directory = directory;
        this.keys = keys;
        this.currentKeyId = currentKeyId;
    }

    /**
     * Reads every {@code <kekId>.key} and {@code current} in {@code directory}.
     *
     * @throws IOException              when the directory or a file cannot be read
     * @throws IllegalArgumentException naming the file at fault: a key file that is not base64 of exactly 32 bytes
     *                                  or whose name is not a valid kek id, no key file at all, no {@code current},
     *                                  or a {@code current} that is not a valid kek id or names a kek without a file
     */
    public static FileKeyEncryptionKeys load(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        if (!Files.exists(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "no key encryption key directory");
        }
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory.toString());
        }
        Map<String, SecretKey> keys = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.endsWith(KEY_SUFFIX) || !Files.isRegularFile(entry)) {
                    continue;
                }
                String kekId = name.substring(0, name.length() - KEY_SUFFIX.length());
                if (!KEK_ID.matcher(kekId).matches()) {
                    throw new IllegalArgumentException("key file " + entry + " is not named <kek id>" + KEY_SUFFIX
                            + " with a kek id of " + KEK_ID_RULE);
                }
                keys.put(kekId, readKey(entry));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no key encryption key (<kek id>" + KEY_SUFFIX + ") in " + directory);
        }
        String current = readCurrent(directory, keys.keySet());
        return new FileKeyEncryptionKeys(directory, Collections.unmodifiableMap(keys), current);
    }

    /**
     * Writes a new random kek to {@code <directory>/<kekId>.key} (creating the directory if needed), readable by the
     * owner only where the file system has POSIX permissions, and when {@code makeCurrent} also names it in
     * {@code current}. Each file appears whole or not at all: it is written to a temporary file, flushed to disk and
     * then moved into place. An existing key file is never replaced.
     *
     * @return the key file written
     * @throws IllegalArgumentException   when {@code kekId} is not a valid kek id
     * @throws FileAlreadyExistsException when that kek exists already
     */
    public static Path generate(Path directory, String kekId, boolean makeCurrent) throws IOException {
        Objects.requireNonNull(directory, "directory");
        requireKekId(kekId);
        Files.createDirectories(directory);
        Path keyFile = directory.resolve(kekId + KEY_SUFFIX);
        byte[] key = new byte[AesGcm.KEY_BYTES];
        RANDOM.nextBytes(key);
        byte[] text = Base64.getEncoder().encode(key);
        try {
            writeAtomically(directory, keyFile, text, false);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(text, (byte) 0);
        }
        // Only after the key file is in place: a current naming a missing key would stop every reader.
        if (makeCurrent) {
            writeAtomically(directory, directory.resolve(CURRENT_FILE),
                    (kekId + "\n").getBytes(StandardCharsets.US_ASCII), true);
        }
        return keyFile;
    }

    @Override
    public String currentKeyId() {
        return currentKeyId;
    }

    @Override
    public Set<String> keyIds() {
        return keys.keySet();
    }

    @Override
    public byte[] wrap(String kekId, byte[] dataKey, byte[] associatedData) {
        Objects.requireNonNull(dataKey, "dataKey");
        Objects.requireNonNull(associatedData, "associatedData");
        if (dataKey.length == 0) {
            throw new IllegalArgumentException("an empty data key cannot be wrapped");
        }
        return AesGcm.seal(key(kekId), dataKey, associatedData);
    }

    @Override
    public byte[] unwrap(String kekId, byte[] wrapped, byte[] associatedData) {
        Objects.requireNonNull(wrapped, "wrapped");
        Objects.requireNonNull(associatedData, "associatedData");
        SecretKey key = key(kekId);
        try {
            return AesGcm.open(key, wrapped, associatedData, "data key wrapped under kek '" + kekId + "'");
        } catch (SealBrokenException e) {
            throw new KeyEncryptionKeyException(kekId, KeyEncryptionKeyException.Reason.NOT_AUTHENTIC, e.getMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "FileKeyEncryptionKeys[" + directory + ", current=" + currentKeyId + ", keys=" + keys.keySet() + "]";
    }

    private SecretKey key(String kekId) {
        Objects.requireNonNull(kekId, "kekId");
        SecretKey key = keys.get(kekId);
        if (key == null) {
            throw new KeyEncryptionKeyException(kekId, KeyEncryptionKeyException.Reason.UNKNOWN_KEY,
                    "no key encryption key '" + kekId + "' in " + directory + " (it has " + String.join(", ",
                            keys.keySet()) + ")");
        }
        return key;
    }

    private static void requireKekId(String kekId) {
        Objects.requireNonNull(kekId, "kekId");
        if (!KEK_ID.matcher(kekId).matches()) {
            // Not quoted back: what is not an id may be anything, a key pasted in the wrong place included.
            throw new IllegalArgumentException("not a valid kek id: a kek id is " + KEK_ID_RULE);
        }
    }

    private static SecretKey readKey(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        byte[] text = null;
        byte[] key = null;
        try {
            int from = 0;
            int to = content.length;
            while (from < to && isWhitespace(content[from])) {
                from++;
            }
            while (to > from && isWhitespace(content[to - 1])) {
                to--;
            }
            text = Arrays.copyOfRange(content, from, to);
            try {
                key = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                // Without the cause: the decoder's message quotes the offending character of the file.
                throw new IllegalArgumentException("key file " + file + " is not base64 text (it must hold the"
                        + " base64 of " + AesGcm.KEY_BYTES + " random bytes)");
            }
            if (key.length != AesGcm.KEY_BYTES) {
                throw new IllegalArgumentException("key file " + file + " holds " + key.length + " bytes; an AES-256"
                        + " key encryption key is exactly " + AesGcm.KEY_BYTES + " bytes, base64-encoded");
            }
            return new SecretKeySpec(key, "AES");
        } finally {
            Arrays.fill(content, (byte) 0);
            if (text != null) {
                Arrays.fill(text, (byte) 0);
            }
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f';
    }

    private static String readCurrent(Path directory, Set<String> kekIds) throws IOException {
        Path file = directory.resolve(CURRENT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no file " + file + " naming the kek to wrap new data keys under");
        }
        String current = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        if (!KEK_ID.matcher(current).matches()) {
            throw new IllegalArgumentException(file + " does not hold a kek id (" + KEK_ID_RULE + ")");
        }
        if (!kekIds.contains(current)) {
            throw new IllegalArgumentException(file + " names kek '" + current + "', but there is no " + current
                    + KEY_SUFFIX + " in " + directory + " (it has " + String.join(", ", kekIds) + ")");
        }
        return current;
    }

    private static void writeAtomically(Path directory, Path target, byte[] content, boolean replace)
            throws IOException {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        String prefix = "." + target.getFileName() + ".";
        // Created owner-only from the start, so the key is never readable by others, not even for a moment.
        Path temp = posix
                ? Files.createTempFile(directory, prefix, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, prefix, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // A rename can reach the disk before the data it names: after a crash, an empty key file.
                channel.force(true);
            }
            if (replace) {
                moveReplacing(temp, target);
            } else {
                publishNew(temp, target);
            }
            forceDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void moveReplacing(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A hard link fails atomically when the target exists, where a rename would silently replace it: a kek replaced
     * makes every data key wrapped under it unreadable.
     */
    private static void publishNew(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a key encryption key of that id exists; replacing it would orphan the data keys wrapped under it");
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links here: a move refuses an existing target too, only not atomically with the check.
            Files.move(temp, target);
        }
    }

    /** Makes the rename itself durable; where a directory cannot be opened, as durable as the platform makes it. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory this way.
        }
    }
}
