package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.storage.StorageClass;

/**
 * Encryption at rest: every volume claim deploy/ makes names the StorageClass meridian-encrypted, and every overlay
 * defines exactly that class, for its cloud, with the cloud's disk encryption under a customer-managed key: the EBS
 * CSI driver ({@code encrypted: "true"} and {@code kmsKeyId}), the GCE PD CSI driver ({@code disk-encryption-kms-key})
 * or the Azure disk CSI driver ({@code diskEncryptionSetID}). The key references in deploy/ are placeholders the
 * operator replaces (deploy/README.md, "Encrypted volumes"); the test checks that one is there and has the cloud's
 * form, not that the key exists.
 */
class EncryptedStorageTest {

    static final String ENCRYPTED = "meridian-encrypted";

    private static final String EBS = "ebs.csi.aws.com";
    private static final String GCE_PD = "pd.csi.storage.gke.io";
    private static final String AZURE_DISK = "disk.csi.azure.com";

    /** The parameter of a provisioner that names the customer-managed key, and the form of its value. */
    private record KeyParameter(String name, Pattern form) {
    }

    private static final Map<String, KeyParameter> KEY_PARAMETERS = Map.of(
            // A key ARN (or alias ARN) of KMS, in any partition.
            EBS, new KeyParameter("kmsKeyId",
                    Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key|alias)/\\S+")),
            // A Cloud KMS crypto key (CMEK).
            GCE_PD, new KeyParameter("disk-encryption-kms-key",
                    Pattern.compile("projects/[^/\\s]+/locations/[^/\\s]+/keyRings/[^/\\s]+/cryptoKeys/[^/\\s]+")),
            // A disk encryption set, which holds the customer-managed key of Key Vault.
            AZURE_DISK, new KeyParameter("diskEncryptionSetID",
                    Pattern.compile("/subscriptions/[^/\\s]+/resourceGroups/[^/\\s]+/providers/Microsoft\\.Compute/"
                            + "diskEncryptionSets/[^/\\s]+", Pattern.CASE_INSENSITIVE)));

    @Test
    void everyVolumeClaimOfEveryOverlayNamesTheEncryptedClass() {
        for (Overlay overlay : Overlay.all()) {
            Map<String, String> claims = new LinkedHashMap<>();
            overlay.renderedDocuments().forEach(doc -> claims.putAll(claims(doc)));
            // Kafka's node pool at least: a walk that finds nothing proves nothing.
            assertThat(claims).as(overlay.directoryName() + " volume claims").isNotEmpty();
            claims.forEach((where, storageClass) -> assertThat(storageClass)
                    .as(overlay.directoryName() + ": " + where + " storage class").isEqualTo(ENCRYPTED));
            // The claims are read before kustomize patches them; no overlay patch may change their storage.
            assertThat(overlay.inlinePatches()).as(overlay.directoryName() + " patches")
                    .noneMatch(patch -> patch.contains("storage") || patch.contains("/class"));
        }
    }

    @Test
    void everyVolumeClaimAnywhereInDeployNamesTheEncryptedClass() {
        // Components no overlay includes yet (the scaler actuator) and patch files as well.
        List<Manifests.Doc> docs = new ArrayList<>(Manifests.resources());
        Manifests.patchFiles().forEach(f -> docs.addAll(Manifests.documents(f)));
        Map<String, String> claims = new LinkedHashMap<>();
        docs.forEach(doc -> claims.putAll(claims(doc)));
        assertThat(claims).isNotEmpty();
        claims.forEach((where, storageClass) -> assertThat(storageClass).as(where + " storage class")
                .isEqualTo(ENCRYPTED));
    }

    @Test
    void everyOverlayDefinesExactlyTheEncryptedClassForItsCloud() {
        for (Overlay overlay : Overlay.all()) {
            List<Manifests.Doc> classes = overlay.renderedDocuments().stream()
                    .filter(d -> d.kind().equals("StorageClass")).toList();
            assertThat(classes).as(overlay.directoryName() + " StorageClasses").singleElement().satisfies(doc ->
                    assertEncryptedClass(overlay.directoryName() + " " + doc,
                            Manifests.typed(doc, StorageClass.class)));
        }
    }

    @Test
    void theCheckAcceptsTheGkeAndAksClassesOfTheReadme(@TempDir Path dir) throws Exception {
        assertEncryptedClass("GKE", storageClass(dir, """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: meridian-encrypted
                provisioner: pd.csi.storage.gke.io
                parameters:
                  type: pd-balanced
                  disk-encryption-kms-key: projects/my-project/locations/europe-west1/keyRings/meridian/cryptoKeys/pd
                reclaimPolicy: Retain
                allowVolumeExpansion: true
                volumeBindingMode: WaitForFirstConsumer
                """));
        assertEncryptedClass("AKS", storageClass(dir, """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: meridian-encrypted
                provisioner: disk.csi.azure.com
                parameters:
                  skuName: Premium_ZRS
                  diskEncryptionSetID: /subscriptions/0000/resourceGroups/meridian/providers/Microsoft.Compute/\
                diskEncryptionSets/meridian
                reclaimPolicy: Retain
                allowVolumeExpansion: true
                volumeBindingMode: WaitForFirstConsumer
                """));
    }

    @Test
    void theCheckRefusesAClassWithoutEncryptionOrWithoutAKey(@TempDir Path dir) throws Exception {
        String ebs = """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: meridian-encrypted
                provisioner: %s
                parameters:
                  type: gp3
                  %s
                reclaimPolicy: Retain
                allowVolumeExpansion: true
                volumeBindingMode: WaitForFirstConsumer
                """;
        StorageClass unencrypted = storageClass(dir, ebs.formatted(EBS,
                "kmsKeyId: arn:aws:kms:us-east-1:111122223333:key/k"));
        assertThatThrownBy(() -> assertEncryptedClass("no encrypted", unencrypted)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("encrypted");
        StorageClass keyless = storageClass(dir, ebs.formatted(EBS, "encrypted: \"true\""));
        assertThatThrownBy(() -> assertEncryptedClass("no key", keyless)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("kmsKeyId");
        StorageClass inTree = storageClass(dir, ebs.formatted("kubernetes.io/aws-ebs", "encrypted: \"true\""));
        assertThatThrownBy(() -> assertEncryptedClass("in-tree", inTree)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("provisioner");
    }

    /** The class the claims name, encrypted by its provisioner with a customer-managed key, kept and expandable. */
    static void assertEncryptedClass(String what, StorageClass storageClass) {
        assertThat(storageClass.getMetadata().getName()).as(what + " name").isEqualTo(ENCRYPTED);
        assertThat(KEY_PARAMETERS).as(what + " provisioner").containsKey(storageClass.getProvisioner());
        Map<String, String> parameters = storageClass.getParameters() == null ? Map.of()
                : storageClass.getParameters();
        KeyParameter key = KEY_PARAMETERS.get(storageClass.getProvisioner());
        assertThat(parameters.get(key.name())).as(what + " " + key.name()).isNotBlank().matches(key.form());
        if (storageClass.getProvisioner().equals(EBS)) {
            // Without it the EBS CSI driver makes an unencrypted volume (unless the account encrypts by default).
            assertThat(parameters.get("encrypted")).as(what + " encrypted").isEqualTo("true");
        }
        assertThat(storageClass.getReclaimPolicy()).as(what + " reclaimPolicy").isEqualTo("Retain");
        assertThat(storageClass.getAllowVolumeExpansion()).as(what + " allowVolumeExpansion").isTrue();
        assertThat(storageClass.getVolumeBindingMode()).as(what + " volumeBindingMode")
                .isEqualTo("WaitForFirstConsumer");
    }

    /**
     * Every volume claim a document makes, "where" → the storage class it names (null when it names none, which
     * means the cluster's default class): a PersistentVolumeClaim; StatefulSet volumeClaimTemplates; a generic
     * ephemeral volume's volumeClaimTemplate; Strimzi's persistent-claim storage, alone or as a JBOD volume, with its
     * per-broker overrides.
     */
    static Map<String, String> claims(Manifests.Doc doc) {
        Map<String, String> claims = new LinkedHashMap<>();
        if (doc.kind().equals("PersistentVolumeClaim")) {
            claims.put(doc.toString(), text(doc.tree().path("spec").path("storageClassName")));
        }
        walk(doc.toString() + " ", doc.tree(), claims);
        return claims;
    }

    private static void walk(String where, JsonNode node, Map<String, String> claims) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(where + "/" + i, node.get(i), claims);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode templates = node.path("volumeClaimTemplates");
        for (int i = 0; i < templates.size(); i++) {
            claims.put(where + "/volumeClaimTemplates/" + i,
                    text(templates.get(i).path("spec").path("storageClassName")));
        }
        JsonNode ephemeral = node.path("volumeClaimTemplate");
        if (ephemeral.isObject()) {
            claims.put(where + "/volumeClaimTemplate", text(ephemeral.path("spec").path("storageClassName")));
        }
        if (node.path("type").asText().equals("persistent-claim")) {
            claims.put(where, text(node.path("class")));
            JsonNode overrides = node.path("overrides");
            for (int i = 0; i < overrides.size(); i++) {
                // An override without a class keeps the volume's.
                if (overrides.get(i).has("class")) {
                    claims.put(where + "/overrides/" + i, text(overrides.get(i).path("class")));
                }
            }
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            walk(where + "/" + field.getKey(), field.getValue(), claims);
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static StorageClass storageClass(Path dir, String yaml) throws Exception {
        Path file = Files.createTempFile(dir, "storage-class", ".yaml");
        Files.writeString(file, yaml);
        return Manifests.typed(Manifests.documents(file).get(0), StorageClass.class);
    }
}
