package dev.meridian.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2;
import io.strimzi.api.kafka.model.user.acl.AclRule;

/** One region's overlay as its files say it: region values, components, MirrorMakers and peer ACL patches. */
record Overlay(Path dir, JsonNode kustomization) {

    static List<Overlay> all() {
        return Repo.overlays().stream().map(d -> new Overlay(d, Manifests.kustomization(d))).toList();
    }

    String directoryName() {
        return dir.getFileName().toString();
    }

    /** The literals of the meridian-region ConfigMap the overlay generates. */
    Map<String, String> regionLiterals() {
        Map<String, String> literals = new LinkedHashMap<>();
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            if (generator.path("name").asText().equals("meridian-region")) {
                for (JsonNode literal : generator.path("literals")) {
                    String[] kv = literal.asText().split("=", 2);
                    literals.put(kv[0], kv[1]);
                }
            }
        }
        return literals;
    }

    String region() {
        return regionLiterals().get("MERIDIAN_HOME_REGION");
    }

    String zone() {
        return regionLiterals().get("MERIDIAN_ZONE");
    }

    String registryHomeRegion() {
        return regionLiterals().get("MERIDIAN_REGISTRY_HOME_REGION");
    }

    List<Path> components() {
        List<Path> components = new ArrayList<>();
        kustomization.path("components").forEach(c -> components.add(dir.resolve(c.asText()).normalize()));
        return components;
    }

    /** Every document the overlay's own resources and its components' resources add. */
    List<Manifests.Doc> ownDocuments() {
        List<Manifests.Doc> docs = new ArrayList<>();
        List<Path> dirs = new ArrayList<>(components());
        dirs.add(0, dir);
        for (Path d : dirs) {
            for (JsonNode r : Manifests.kustomization(d).path("resources")) {
                Path p = d.resolve(r.asText()).normalize();
                if (p.toFile().isFile()) {
                    docs.addAll(Manifests.documents(p));
                }
            }
        }
        return docs;
    }

    /**
     * Every resource document the overlay renders: its resources and components followed down to the files, through
     * the base and every directory it includes, as {@code kubectl kustomize} collects them. Kustomize's transformers
     * (namespace, labels, patches) are not applied; {@link #inlinePatches()} are the overlay's own patches.
     */
    List<Manifests.Doc> renderedDocuments() {
        List<Manifests.Doc> docs = new ArrayList<>();
        collect(dir, docs, new HashSet<>());
        return docs;
    }

    private static void collect(Path kustomizationDir, List<Manifests.Doc> docs, Set<Path> visited) {
        if (!visited.add(kustomizationDir)) {
            return;
        }
        JsonNode kustomization = Manifests.kustomization(kustomizationDir);
        for (String field : List.of("resources", "components")) {
            for (JsonNode entry : kustomization.path(field)) {
                Path path = kustomizationDir.resolve(entry.asText()).normalize();
                if (Files.isRegularFile(path)) {
                    docs.addAll(Manifests.documents(path));
                } else if (Files.isDirectory(path)) {
                    collect(path, docs, visited);
                } else {
                    throw new IllegalStateException(kustomizationDir + " lists " + entry.asText()
                            + ", which does not exist");
                }
            }
        }
    }

    /** The text of the overlay's inline patches ({@code patches: - patch: |-}). */
    List<String> inlinePatches() {
        List<String> patches = new ArrayList<>();
        kustomization.path("patches").forEach(p -> {
            if (p.has("patch")) {
                patches.add(p.path("patch").asText());
            }
        });
        return patches;
    }

    List<KafkaMirrorMaker2> mirrorMakers() {
        return List.copyOf(Manifests.ofKind(ownDocuments(), KafkaMirrorMaker2.class).values());
    }

    /** ACL rules the overlay's JSON patches append to a KafkaUser, parsed strictly as Strimzi AclRules. */
    List<AclRule> addedAcls(String user) {
        List<AclRule> rules = new ArrayList<>();
        for (JsonNode patch : kustomization.path("patches")) {
            JsonNode target = patch.path("target");
            if (!target.path("kind").asText().equals("KafkaUser") || !target.path("name").asText().equals(user)) {
                continue;
            }
            try {
                JsonNode ops = Manifests.STRICT.readTree(patch.path("patch").asText());
                for (JsonNode op : ops) {
                    if (op.path("op").asText().equals("add")
                            && op.path("path").asText().equals("/spec/authorization/acls/-")) {
                        rules.add(Manifests.STRICT.treeToValue(op.path("value"), AclRule.class));
                    } else {
                        throw new IllegalArgumentException(dir + ": unexpected patch of " + user + ": " + op);
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(dir + ": patch of " + user + ": " + e.getMessage(), e);
            }
        }
        return rules;
    }
}
