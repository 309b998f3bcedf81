package dev.meridian.auditproof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command an outsider runs, on an export built here as the audit service writes one. */
class VerifyExportCommandTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path dir;

    private record Export(List<String> lines, DigestKeys keys) {
    }

    /** Five records, a signed digest with its Merkle root, and the trailer. */
    private static Export export() throws Exception {
        return export(false);
    }

    /** {@link #export()}, with one more record after the digest when {@code tail}: one no digest closes yet. */
    private static Export export(boolean tail) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        DigestKeys keys = new DigestKeys(List.of(new DigestKeys.Key("k1", "Ed25519",
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()), Instant.EPOCH, null)));
        List<AuditRecord> chain = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        String previous = AuditRecord.GENESIS_HASH;
        for (int i = 0; i < 5; i++) {
            AuditRecord record = entry(previous, "op-" + i, AuditEntryKind.RECORD, i, payload("pool", "gpu-" + i), null);
            chain.add(record);
            leaves.add(Merkle.entryLeaf(record.hash()));
            previous = record.hash();
        }
        ObjectNode digestPayload = ContractJson.mapper().createObjectNode().put("fromSequence", 0).put("toSequence", 4)
                .put("records", 5).put("chainHead", previous).put("merkleRoot", Merkle.hex(Merkle.root(leaves)))
                .put("algorithm", "Ed25519").put("keyId", "k1");
        AuditRecord unsigned = entry(previous, "digest-5", AuditEntryKind.DIGEST, 5, digestPayload, null);
        AuditRecord digest = entry(previous, "digest-5", AuditEntryKind.DIGEST, 5, digestPayload,
                DigestKeys.sign(pair.getPrivate(), "k1", unsigned.hash()));
        chain.add(digest);
        if (tail) {
            chain.add(entry(digest.hash(), "op-6", AuditEntryKind.RECORD, 6, payload("pool", "gpu-6"), null));
        }
        List<String> lines = new ArrayList<>();
        for (AuditRecord entry : chain) {
            lines.add(ContractJson.writeString(entry));
        }
        lines.add(trailer(chain.size(), chain.get(chain.size() - 1)));
        return new Export(lines, keys);
    }

    private static String trailer(int rows, AuditRecord last) {
        return "{\"trailer\":{\"rows\":" + rows + ",\"complete\":true,\"regions\":[{\"region\":\"eu-west\",\"rows\":"
                + rows + ",\"lastSequence\":" + last.sequence() + ",\"lastHash\":\"" + last.hash()
                + "\",\"digest\":null}]}}";
    }

    private static ObjectNode payload(String field, String value) {
        return ContractJson.mapper().createObjectNode().put(field, value);
    }

    private static AuditRecord entry(String previous, String id, AuditEntryKind kind, long sequence, ObjectNode payload,
            String signature) {
        Instant at = T0.plusSeconds(sequence);
        String hash = Canonical.hash(previous, id, kind, "eu-west", sequence, at, "alice", "scale.scale_out",
                "pool:eu-west/gpu", "/test", "t.v1", payload);
        return new AuditRecord(id, kind, "eu-west", sequence, at, "alice", "scale.scale_out", "pool:eu-west/gpu",
                "/test", "t.v1", payload, previous, hash, signature);
    }

    private int run(List<String> lines, DigestKeys keys, ByteArrayOutputStream out) throws Exception {
        Path export = dir.resolve("audit.ndjson");
        Path keyFile = dir.resolve("keys.json");
        Files.write(export, lines, StandardCharsets.UTF_8);
        Files.write(keyFile, keys.json());
        return VerifyExportCommand.run(new String[] {"--export", export.toString(), "--keys", keyFile.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void anIntactExportVerifiesWithItsDigestSignedAndItsMerkleHeadRecomputed() throws Exception {
        Export export = export();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(run(export.lines(), export.keys(), out)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("ok: 6 entries, 0 links (outside the filters), 1 signed digests, 1 Merkle heads");
    }

    @Test
    void anEntryNoDigestClosesYetIsNotProvenAndTheCommandSaysSo() throws Exception {
        Export export = export(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(run(export.lines(), export.keys(), out)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("FAILED: eu-west #6 (op-6): not yet closed by a"
                + " signed digest");
    }

    @Test
    void aForgedEntryBeforeARemovedOneIsNotProvenEvenWithItsHashRecomputed() throws Exception {
        Export export = export();
        List<String> lines = new ArrayList<>(export.lines());
        AuditRecord second = ContractJson.mapper().readValue(lines.get(1), AuditRecord.class);
        AuditRecord forged = entry(second.previousHash(), "op-1", AuditEntryKind.RECORD, 1, payload("pool", "gpu-9"),
                null);
        lines.set(1, ContractJson.writeString(forged));
        lines.remove(2);
        lines.set(lines.size() - 1, trailer(5, ContractJson.mapper().readValue(lines.get(lines.size() - 2),
                AuditRecord.class)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(run(lines, export.keys(), out)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("FAILED: eu-west #0 (op-0): not tied to a signed"
                + " digest: the export breaks off after sequence 1");
    }

    @Test
    void linksInPlaceOfFilteredEntriesKeepTheChainProven() throws Exception {
        Export export = export();
        List<String> lines = new ArrayList<>(export.lines());
        for (int i : new int[] {1, 3}) {
            AuditRecord hidden = ContractJson.mapper().readValue(lines.get(i), AuditRecord.class);
            lines.set(i, "{\"link\":{\"region\":\"eu-west\",\"sequence\":" + i + ",\"previousHash\":\""
                    + hidden.previousHash() + "\",\"hash\":\"" + hidden.hash() + "\"}}");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(run(lines, export.keys(), out)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("ok: 4 entries, 2 links (outside the filters), 1 signed digests, 1 Merkle heads");
    }

    @Test
    void anAlteredEntryIsNamedAndTheCommandFails() throws Exception {
        Export export = export();
        List<String> lines = new ArrayList<>(export.lines());
        lines.set(2, lines.get(2).replace("gpu-2", "gpu-9"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(run(lines, export.keys(), out)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("FAILED: eu-west #2 (op-2): content does not match its hash");
    }

    @Test
    void aDigestSignedWithAnotherKeyFails() throws Exception {
        Export export = export();
        Export other = export();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(run(export.lines(), other.keys(), out)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("#5 (digest-5): digest signature is not valid");
    }

    @Test
    void anExportWithoutItsTrailerIsIncomplete() throws Exception {
        Export export = export();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(run(export.lines().subList(0, 4), export.keys(), out)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("FAILED: incomplete: the export has no trailer (cut after 4 rows)");
    }

    @Test
    void withoutBothFilesItPrintsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(VerifyExportCommand.run(new String[] {"--export"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: ./meridian audit verify");
    }
}
