package dev.meridian.testkit.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of Strimzi {@code KafkaUser} manifests, as Kafka {@link AclBinding}s: what the User Operator would create
 * for each user, read from the very files deploy/ ships, so a test broker grants exactly what production grants.
 *
 * <p>Strimzi's {@code simple} authorization, as far as deploy/ uses it: resources of type topic, group,
 * transactionalId and cluster, literal or prefix patterns, operations in Strimzi's spelling ({@code DescribeConfigs}),
 * {@code type} allow (the default) or deny, {@code host} {@code *} (the default). The principal of a SCRAM user is
 * {@code User:<metadata.name>}. Anything else in a manifest is refused rather than guessed at.
 */
public final class KafkaUserAcls {

    /** Where deploy/ keeps the users, relative to the repository root. */
    public static final Path DEPLOY_USERS = Path.of("deploy", "kafka", "users.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> PATTERN_TYPES = Set.of("literal", "prefix");

    private final Map<String, List<AclBinding>> byUser;

    private KafkaUserAcls(Map<String, List<AclBinding>> byUser) {
        this.byUser = byUser;
    }

    /** The users of deploy/kafka/users.yaml, found by walking up from the working directory to the repository root. */
    public static KafkaUserAcls fromDeploy() {
        return read(repositoryFile(DEPLOY_USERS));
    }

    /** Every {@code KafkaUser} document of a multi-document YAML file; other kinds are skipped. */
    public static KafkaUserAcls read(Path manifest) {
        Map<String, List<AclBinding>> byUser = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(manifest.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || !"KafkaUser".equals(document.path("kind").asText())) {
                    continue;
                }
                String user = document.path("metadata").path("name").asText("");
                if (user.isBlank()) {
                    throw new IllegalArgumentException(manifest + ": a KafkaUser without metadata.name");
                }
                if (byUser.put(user, bindings(manifest, user, document.path("spec").path("authorization"))) != null) {
                    throw new IllegalArgumentException(manifest + ": KafkaUser " + user + " is declared twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + manifest, e);
        }
        return new KafkaUserAcls(byUser);
    }

    /** The users declared, in file order. */
    public Set<String> users() {
        return byUser.keySet();
    }

    /** The bindings of {@code user}; an unknown user is an error (a typo would otherwise mean "no rights"). */
    public List<AclBinding> of(String user) {
        List<AclBinding> bindings = byUser.get(user);
        if (bindings == null) {
            throw new IllegalArgumentException("no KafkaUser " + user + "; declared are " + byUser.keySet());
        }
        return bindings;
    }

    /** Every binding of every user. */
    public List<AclBinding> all() {
        return byUser.values().stream().flatMap(List::stream).toList();
    }

    /** The Kafka principal of a SCRAM user, as the broker's authorizer sees it. */
    public static String principal(String user) {
        return "User:" + user;
    }

    private static List<AclBinding> bindings(Path manifest, String user, JsonNode authorization) {
        if (authorization.isMissingNode()) {
            return List.of();
        }
        if (!"simple".equals(authorization.path("type").asText())) {
            throw new IllegalArgumentException(manifest + ": " + user + ": only simple authorization is understood");
        }
        List<AclBinding> bindings = new ArrayList<>();
        for (JsonNode rule : authorization.path("acls")) {
            ResourcePattern pattern = pattern(manifest, user, rule.path("resource"));
            AclPermissionType permission = switch (rule.path("type").asText("allow")) {
                case "allow" -> AclPermissionType.ALLOW;
                case "deny" -> AclPermissionType.DENY;
                default -> throw new IllegalArgumentException(manifest + ": " + user + ": unknown rule type "
                        + rule.path("type").asText());
            };
            String host = rule.path("host").asText("*");
            JsonNode operations = rule.path("operations");
            if (!operations.isArray() || operations.isEmpty()) {
                throw new IllegalArgumentException(manifest + ": " + user + ": a rule on " + pattern + " names no operations");
            }
            for (JsonNode operation : operations) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal(user), host,
                        operation(manifest, user, operation.asText()), permission)));
            }
        }
        return List.copyOf(bindings);
    }

    private static ResourcePattern pattern(Path manifest, String user, JsonNode resource) {
        String type = resource.path("type").asText("");
        ResourceType resourceType = switch (type) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            case "cluster" -> ResourceType.CLUSTER;
            default -> throw new IllegalArgumentException(manifest + ": " + user + ": unknown resource type '" + type + "'");
        };
        if (resourceType == ResourceType.CLUSTER) {
            return new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
        }
        String name = resource.path("name").asText("");
        String patternType = resource.path("patternType").asText("literal");
        if (name.isEmpty() || !PATTERN_TYPES.contains(patternType)) {
            throw new IllegalArgumentException(manifest + ": " + user + ": a " + type + " rule needs a name and a literal "
                    + "or prefix pattern, was '" + name + "' " + patternType);
        }
        return new ResourcePattern(resourceType, name,
                "prefix".equals(patternType) ? PatternType.PREFIXED : PatternType.LITERAL);
    }

    /** Strimzi writes operations in CamelCase (IdempotentWrite), Kafka's enum in UPPER_SNAKE (IDEMPOTENT_WRITE). */
    private static AclOperation operation(Path manifest, String user, String strimzi) {
        String snake = strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            AclOperation operation = AclOperation.valueOf(snake);
            if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN) {
                throw new IllegalArgumentException(snake);
            }
            return operation;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(manifest + ": " + user + ": unknown operation " + strimzi, e);
        }
    }

    /** {@code relative} in the repository this test runs in: the nearest ancestor of the working directory that has it. */
    static Path repositoryFile(Path relative) {
        Objects.requireNonNull(relative, "relative");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + relative + " in " + Path.of("").toAbsolutePath() + " or above");
    }
}
