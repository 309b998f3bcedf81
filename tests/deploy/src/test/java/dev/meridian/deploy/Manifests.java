package dev.meridian.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Reads deploy/ the way the build checks it: every resource file a kustomization lists, every document parsed into
 * its typed model (fabric8 for Kubernetes, io.strimzi:api for Strimzi) with unknown fields failing. Both models keep
 * unknown fields in an "additionalProperties" map through a Jackson any-setter, which would silently accept a typo
 * such as {@code readOnlyRootFilsystem}; the strict mapper switches every any-setter off, so the typo fails.
 */
final class Manifests {

    /** Kinds deploy/ may use, with the typed model each is checked against. */
    static final Map<String, Class<? extends HasMetadata>> TYPED = Map.ofEntries(
            Map.entry("Namespace", Namespace.class),
            Map.entry("ConfigMap", ConfigMap.class),
            Map.entry("Deployment", Deployment.class),
            Map.entry("Service", Service.class),
            Map.entry("ServiceAccount", ServiceAccount.class),
            Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("NetworkPolicy", NetworkPolicy.class),
            Map.entry("Role", Role.class),
            Map.entry("ClusterRole", ClusterRole.class),
            Map.entry("RoleBinding", RoleBinding.class),
            Map.entry("StorageClass", StorageClass.class),
            Map.entry("Kafka", Kafka.class),
            Map.entry("KafkaNodePool", KafkaNodePool.class),
            Map.entry("KafkaTopic", KafkaTopic.class),
            Map.entry("KafkaUser", KafkaUser.class),
            Map.entry("KafkaMirrorMaker2", KafkaMirrorMaker2.class),
            Map.entry("KafkaConnect", KafkaConnect.class),
            Map.entry("KafkaConnector", KafkaConnector.class));

    /**
     * The Prometheus Operator's and cert-manager's kinds: no typed model on the class path, so they are read as
     * generic resources and their fields checked one by one (ObservabilityTest, HttpsTest (tests/deploy)).
     */
    static final Map<String, String> GENERIC = Map.of(
            "ServiceMonitor", "monitoring.coreos.com/v1",
            "PrometheusRule", "monitoring.coreos.com/v1",
            "Certificate", "cert-manager.io/v1",
            "Issuer", "cert-manager.io/v1");

    static final ObjectMapper STRICT = strictMapper();
    private static final ObjectMapper LENIENT = new ObjectMapper(new YAMLFactory());
    private static final YAMLMapper TREE = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Manifests() {
    }

    static ObjectMapper strictMapper() {
        return YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated a) {
                        return Boolean.FALSE;
                    }
                })
                .build();
    }

    /** One YAML document of a file. */
    record Doc(Path file, int index, JsonNode tree) {

        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return Repo.ROOT.relativize(file) + "#" + index + " " + kind() + "/" + name();
        }
    }

    static List<Doc> documents(Path file) {
        List<Doc> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = TREE.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(new Doc(file, index, node));
                }
                index++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return docs;
    }

    /** The typed resource of a document; throws when a field is unknown or the apiVersion is not the model's. */
    static <T extends HasMetadata> T typed(Doc doc, Class<T> type) {
        try {
            T resource = STRICT.treeToValue(doc.tree(), type);
            String apiVersion = doc.tree().path("apiVersion").asText();
            if (!servedApiVersions(type).contains(apiVersion)) {
                throw new IllegalArgumentException(doc + ": apiVersion " + apiVersion + " is not one of "
                        + servedApiVersions(type));
            }
            return resource;
        } catch (IOException e) {
            throw new IllegalArgumentException(doc + ": " + e.getMessage(), e);
        }
    }

    static HasMetadata typed(Doc doc) {
        Class<? extends HasMetadata> type = TYPED.get(doc.kind());
        if (type == null) {
            throw new IllegalArgumentException(doc + ": kind " + doc.kind() + " has no typed model here");
        }
        return typed(doc, type);
    }

    static GenericKubernetesResource generic(Doc doc) {
        try {
            return LENIENT.treeToValue(doc.tree(), GenericKubernetesResource.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(doc + ": " + e.getMessage(), e);
        }
    }

    /** group/version strings a model class stands for: fabric8's annotations, Strimzi's VERSIONS constant. */
    static Set<String> servedApiVersions(Class<?> type) {
        Group group = type.getAnnotation(Group.class);
        Set<String> versions = new LinkedHashSet<>();
        try {
            Field field = type.getField("VERSIONS");
            for (Object v : (List<?>) field.get(null)) {
                versions.add(v.toString());
            }
        } catch (NoSuchFieldException e) {
            versions.add(type.getAnnotation(Version.class).value());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        Set<String> apiVersions = new LinkedHashSet<>();
        for (String version : versions) {
            apiVersions.add(group == null || group.value().isEmpty() ? version : group.value() + "/" + version);
        }
        return apiVersions;
    }

    /** Every kustomization.yaml under deploy/. */
    static List<Path> kustomizations() {
        try (Stream<Path> files = Files.walk(Repo.DEPLOY)) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode kustomization(Path dir) {
        return documents(dir.resolve("kustomization.yaml")).get(0).tree();
    }

    /** Files (not directories) a kustomization lists under resources: the resources it adds. */
    static List<Path> resourceFiles() {
        Set<Path> files = new LinkedHashSet<>();
        for (Path k : kustomizations()) {
            for (JsonNode entry : documents(k).get(0).tree().path("resources")) {
                Path path = k.getParent().resolve(entry.asText()).normalize();
                if (Files.isRegularFile(path)) {
                    files.add(path);
                } else if (!Files.isDirectory(path)) {
                    throw new IllegalStateException(k + " lists " + entry.asText() + ", which does not exist");
                }
            }
        }
        return List.copyOf(files);
    }

    /** Every resource document of deploy/, with the file it is in. */
    static List<Doc> resources() {
        return resourceFiles().stream().flatMap(f -> documents(f).stream()).toList();
    }

    /** Patch files ({@code patches: - path:}) a kustomization applies: partial resources of a known kind. */
    static List<Path> patchFiles() {
        List<Path> files = new ArrayList<>();
        for (Path k : kustomizations()) {
            for (JsonNode patch : documents(k).get(0).tree().path("patches")) {
                if (patch.has("path")) {
                    files.add(k.getParent().resolve(patch.path("path").asText()).normalize());
                }
            }
        }
        return files;
    }

    /** Resources of one kind, typed, keyed by the document they come from. */
    static <T extends HasMetadata> Map<Doc, T> ofKind(List<Doc> docs, Class<T> type) {
        Map<Doc, T> typed = new LinkedHashMap<>();
        for (Doc doc : docs) {
            if (TYPED.get(doc.kind()) == type) {
                typed.put(doc, typed(doc, type));
            }
        }
        return typed;
    }
}
