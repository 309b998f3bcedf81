package dev.meridian.audit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.audit.crypto.KeyEncryptionKeyException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeyEncryptionKeysTest {

    private static final byte[] AAD = "data-key:dk-1".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aGeneratedKekLoadsAsTheCurrentOne() throws Exception {
        Path file = FileKeyEncryptionKeys.generate(dir, "kek-1", true);

        FileKeyEncryptionKeys keks = FileKeyEncryptionKeys.load(dir);

        assertThat(file).isEqualTo(dir.resolve("kek-1.key"));
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(Files.readString(dir.resolve("current")).strip()).isEqualTo("kek-1");
        assertThat(keks.currentKeyId()).isEqualTo("kek-1");
        assertThat(keks.keyIds()).containsExactly("kek-1");
    }

    @Test
    void aGeneratedKeyFileIsReadableByItsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
        Path file = FileKeyEncryptionKeys.generate(dir, "kek-1", true);

        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("kek-1.key",
                    "current");
        }
    }

    @Test
    void aWrappedDataKeyUnwrapsUnderItsKekWithTheSameAssociatedData() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        FileKeyEncryptionKeys keks = FileKeyEncryptionKeys.load(dir);
        byte[] dataKey = DataKeys.generate("dk-1").key();

        byte[] wrapped = keks.wrap(keks.currentKeyId(), dataKey, AAD);

        assertThat(wrapped).hasSize(1 + 12 + 32 + 16).isNotEqualTo(keks.wrap("kek-1", dataKey, AAD));
        assertThat(wrapped[0]).isEqualTo((byte) 1);
        assertThat(keks.unwrap("kek-1", wrapped, AAD)).isEqualTo(dataKey);
    }

    @Test
    void aWrappedKeyUnderAnotherKekDoesNotUnwrap() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        FileKeyEncryptionKeys.generate(dir, "kek-2", false);
        FileKeyEncryptionKeys keks = FileKeyEncryptionKeys.load(dir);
        byte[] wrapped = keks.wrap("kek-1", DataKeys.generate("dk-1").key(), AAD);

        assertThatThrownBy(() -> keks.unwrap("kek-2", wrapped, AAD)).isInstanceOfSatisfying(
                KeyEncryptionKeyException.class, e -> {
                    assertThat(e.kekId()).isEqualTo("kek-2");
                    assertThat(e.reason()).isEqualTo(Reason.NOT_AUTHENTIC);
                    assertThat(e.getMessage()).contains("kek-2").contains("does not authenticate");
                });
    }

    @Test
    void aWrappedKeyWithOtherAssociatedDataOrChangedBytesDoesNotUnwrap() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        FileKeyEncryptionKeys keks = FileKeyEncryptionKeys.load(dir);
        byte[] wrapped = keks.wrap("kek-1", DataKeys.generate("dk-1").key(), AAD);
        byte[] changed = wrapped.clone();
        changed[20] ^= 0x01;

        assertThatThrownBy(() -> keks.unwrap("kek-1", wrapped, "data-key:dk-2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(KeyEncryptionKeyException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_AUTHENTIC))
                .hasMessageContaining("kek-1");
        assertThatThrownBy(() -> keks.unwrap("kek-1", changed, AAD)).isInstanceOf(KeyEncryptionKeyException.class);
        assertThatThrownBy(() -> keks.unwrap("kek-1", new byte[5], AAD))
                .isInstanceOf(KeyEncryptionKeyException.class).hasMessageContaining("kek-1");
    }

    @Test
    void anUnknownKekIsNamedInTheRefusal() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        FileKeyEncryptionKeys keks = FileKeyEncryptionKeys.load(dir);
        byte[] dataKey = DataKeys.generate("dk-1").key();
        byte[] wrapped = keks.wrap("kek-1", dataKey, AAD);

        assertThatThrownBy(() -> keks.unwrap("kek-9", wrapped, AAD)).isInstanceOfSatisfying(
                KeyEncryptionKeyException.class, e -> {
                    assertThat(e.kekId()).isEqualTo("kek-9");
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
                    assertThat(e.getMessage()).contains("'kek-9'");
                });
        assertThatThrownBy(() -> keks.wrap("kek-9", dataKey, AAD)).isInstanceOfSatisfying(
                KeyEncryptionKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                .hasMessageContaining("'kek-9'");
    }

    @Test
    void afterRotationOldDataKeysStillUnwrapAndCanBeRewrappedUnderTheNewKek() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        FileKeyEncryptionKeys before = FileKeyEncryptionKeys.load(dir);
        byte[] dataKey = DataKeys.generate("dk-1").key();
        byte[] underKek1 = before.wrap(before.currentKeyId(), dataKey, AAD);

        FileKeyEncryptionKeys.generate(dir, "kek-2", true);
        FileKeyEncryptionKeys after = FileKeyEncryptionKeys.load(dir);

        assertThat(after.currentKeyId()).isEqualTo("kek-2");
        assertThat(after.keyIds()).containsExactly("kek-1", "kek-2");
        assertThat(after.unwrap("kek-1", underKek1, AAD)).isEqualTo(dataKey);

        byte[] underKek2 = after.rewrap("kek-1", underKek1, after.currentKeyId(), AAD);

        assertThat(after.unwrap("kek-2", underKek2, AAD)).isEqualTo(dataKey);
        assertThatThrownBy(() -> after.unwrap("kek-1", underKek2, AAD))
                .isInstanceOf(KeyEncryptionKeyException.class);
    }

    @Test
    void generatingAnExistingKekIsRefusedAndLeavesItIntact() throws Exception {
        Path file = FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        String original = Files.readString(file);

        assertThatThrownBy(() -> FileKeyEncryptionKeys.generate(dir, "kek-1", false))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("kek-1.key");

        assertThat(Files.readString(file)).isEqualTo(original);
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("kek-1.key",
                    "current");
        }
    }

    @Test
    void surroundingWhitespaceInKeyAndCurrentFilesIsIgnored() throws Exception {
        byte[] key = DataKeys.generate("any").key();
        Files.writeString(dir.resolve("kek-a.key"), "  \n" + Base64.getEncoder().encodeToString(key) + "\r\n\t");
        Files.writeString(dir.resolve("current"), " kek-a \n");

        FileKeyEncryptionKeys keks = FileKeyEncryptionKeys.load(dir);

        assertThat(keks.currentKeyId()).isEqualTo("kek-a");
        assertThat(keks.unwrap("kek-a", keks.wrap("kek-a", key, AAD), AAD)).isEqualTo(key);
    }

    @Test
    void aKeyFileOfAnotherLengthIsRefusedByNameWithoutShowingTheKey() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        String shortKey = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
            15, 16});
        Files.writeString(dir.resolve("kek-short.key"), shortKey + "\n");

        assertThatThrownBy(() -> FileKeyEncryptionKeys.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kek-short.key").hasMessageContaining("16 bytes")
                .hasMessageNotContaining(shortKey).hasNoCause();
    }

    @Test
    void aKeyFileThatIsNotBase64IsRefusedByNameWithoutShowingItsText() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        String text = "this is not a key!";
        Files.writeString(dir.resolve("kek-text.key"), text);

        assertThatThrownBy(() -> FileKeyEncryptionKeys.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kek-text.key").hasMessageContaining("base64")
                .hasMessageNotContaining(text).hasNoCause();
    }

    @Test
    void aCurrentNamingAMissingKeyIsRefused() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        Files.writeString(dir.resolve("current"), "kek-2\n");

        assertThatThrownBy(() -> FileKeyEncryptionKeys.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kek-2'").hasMessageContaining("kek-2.key").hasMessageContaining("kek-1");
    }

    @Test
    void aDirectoryWithoutCurrentOrWithoutKeysIsRefused() throws Exception {
        assertThatThrownBy(() -> FileKeyEncryptionKeys.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no key encryption key");

        FileKeyEncryptionKeys.generate(dir, "kek-1", false);

        assertThatThrownBy(() -> FileKeyEncryptionKeys.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("current");
    }

    @Test
    void badKekIdsAreRefused() throws Exception {
        for (String bad : new String[] {"", "../kek", "kek/1", "kek 1", "kék", "k".repeat(65)}) {
            assertThatThrownBy(() -> FileKeyEncryptionKeys.generate(dir, bad, true))
                    .as("kek id <%s>", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("kek id");
        }
        assertThat(dir).isEmptyDirectory();
        assertThat(FileKeyEncryptionKeys.generate(dir, "K.e_k-" + "9".repeat(58), true)).exists();
    }

    @Test
    void aKeyFileNamedWithABadKekIdIsRefused() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        Files.copy(dir.resolve("kek-1.key"), dir.resolve("kek 2.key"));

        assertThatThrownBy(() -> FileKeyEncryptionKeys.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kek 2.key");
    }

    @Test
    void aCurrentThatIsNotAKekIdIsRefusedWithoutQuotingIt() throws Exception {
        FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        String pasted = Base64.getEncoder().encodeToString(DataKeys.generate("any").key());
        Files.writeString(dir.resolve("current"), pasted);

        assertThatThrownBy(() -> FileKeyEncryptionKeys.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("current").hasMessageNotContaining(pasted);
    }

    @Test
    void aMountedKubernetesSecretLoadsThroughItsLinksAndOtherFilesAreIgnored() throws Exception {
        // What the kubelet writes: the files in a timestamped directory, ..data pointing at it, a link per file.
        Path version = dir.resolve("..2026_11_27_10_00_00.000000001");
        FileKeyEncryptionKeys.generate(version, "kek-1", true);
        Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
        Files.createSymbolicLink(dir.resolve("kek-1.key"), Path.of("..data", "kek-1.key"));
        Files.createSymbolicLink(dir.resolve("current"), Path.of("..data", "current"));
        Files.writeString(dir.resolve("README"), "not a key");

        FileKeyEncryptionKeys keks = FileKeyEncryptionKeys.load(dir);

        assertThat(keks.keyIds()).containsExactly("kek-1");
        assertThat(keks.currentKeyId()).isEqualTo("kek-1");
    }

    @Test
    void theKeyIdsCannotBeChangedAndToStringShowsNoKeyMaterial() throws Exception {
        Path file = FileKeyEncryptionKeys.generate(dir, "kek-1", true);
        FileKeyEncryptionKeys keks = FileKeyEncryptionKeys.load(dir);
        Set<String> ids = keks.keyIds();

        assertThatThrownBy(() -> ids.add("kek-2")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(keks.toString()).contains("kek-1").doesNotContain(Files.readString(file).strip());
    }
}
