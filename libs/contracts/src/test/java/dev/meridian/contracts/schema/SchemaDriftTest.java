package dev.meridian.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.ContractSamples.OutOfRange;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.json.ContractJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written JSON Schemas are what non-Java consumers read; these tests keep them equal to the
 * records: same properties, same required set, same enum constants, same JSON types, and they accept what
 * Java writes and reject what Java rejects.
 */
class SchemaDriftTest {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void schemaIsDraft202012WithTheVersionedUrnId(ContractType type) {
        JsonNode schema = schemaTree(type);

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo(type.schemaId())
                .isEqualTo("urn:meridian:schema:" + type.recordClass().getSimpleName() + ":v1");
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void schemaDescribesExactlyTheRecordIncludingNestedRecords(ContractType type) {
        JsonNode root = schemaTree(type);
        SoftAssertions softly = new SoftAssertions();

        compare(softly, root, root, type.recordClass());

        softly.assertAll();
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void serializedSampleValidatesAgainstTheSchema(ContractType type) {
        List<Error> errors = validate(type, ContractJson.writeString(ContractSamples.sample(type)));

        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void sampleWithExplicitNullsForOptionalFieldsValidates(ContractType type) throws Exception {
        ObjectNode tree = JsonTrees.tree(ContractSamples.sample(type));
        List<RecordComponent> optional = Arrays.stream(type.recordClass().getRecordComponents())
                .filter(component -> !ContractSamples.isRequired(component)).toList();
        optional.forEach(component -> tree.putNull(component.getName()));

        assertThat(validate(type, tree.toString())).isEmpty();
        Object read = ContractJson.read(tree.toString(), type.recordClass());
        for (RecordComponent component : optional) {
            assertThat(component.getAccessor().invoke(read)).as(component.getName()).isNull();
        }
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("dev.meridian.contracts.ContractSamples#requiredFields")
    void sampleMissingARequiredFieldDoesNotValidate(ContractType type, String field) {
        List<Error> errors = validate(type, JsonTrees.remove(ContractSamples.sample(type), field));

        assertThat(errors).extracting(Error::getKeyword).contains("required");
        assertThat(errors).extracting(Error::getProperty).contains(field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.meridian.contracts.ContractSamples#outOfRange")
    void schemaRejectsWhatJavaValidationRejects(OutOfRange bad) {
        String json = JsonTrees.set(ContractSamples.sample(bad.type()), bad.path(), bad.json());

        assertThat(validate(bad.type(), json)).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ContractType.class, names = {"SCALE_COMMAND", "AUDIT_RECORD"})
    void schemaEnforcesTheConditionalField(ContractType type) {
        String conditional = type == ContractType.SCALE_COMMAND ? "action" : "kind";
        String value = type == ContractType.SCALE_COMMAND ? "\"DEFERRED\"" : "\"DIGEST\"";

        String json = JsonTrees.set(ContractSamples.sample(type), conditional, value);

        assertThat(validate(type, json)).isNotEmpty();
    }

    private static void compare(SoftAssertions softly, JsonNode root, JsonNode schema, Class<?> recordClass) {
        String name = recordClass.getSimpleName();
        RecordComponent[] components = recordClass.getRecordComponents();
        softly.assertThat(names(schema.path("properties").fieldNames()))
                .as("%s properties", name)
                .containsExactlyElementsOf(Arrays.stream(components).map(RecordComponent::getName).toList());
        softly.assertThat(names(schema.path("required").elements(), JsonNode::asText))
                .as("%s required", name)
                .containsExactlyElementsOf(ContractSamples.requiredComponents(recordClass));
        softly.assertThat(schema.path("additionalProperties").asBoolean(false))
                .as("%s additionalProperties", name).isTrue();
        for (RecordComponent component : components) {
            JsonNode property = schema.path("properties").path(component.getName());
            String label = name + "." + component.getName();
            Set<String> types = jsonTypes(property);
            softly.assertThat(types.contains("null")).as("%s accepts null iff optional", label)
                    .isEqualTo(!ContractSamples.isRequired(component));
            compareType(softly, root, property, types, component.getType(), component.getGenericType(), label);
        }
    }

    private static void compareType(SoftAssertions softly, JsonNode root, JsonNode property, Set<String> types,
            Class<?> type, Type genericType, String label) {
        if (type.isRecord()) {
            String ref = property.path("$ref").asText();
            softly.assertThat(ref).as("%s $ref", label).isEqualTo("#/$defs/" + type.getSimpleName());
            compare(softly, root, root.path("$defs").path(type.getSimpleName()), type);
            return;
        }
        softly.assertThat(types).as("%s type", label).contains(expectedJsonType(type));
        if (type.isEnum()) {
            List<String> constants = Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
            softly.assertThat(names(property.path("enum").elements(), JsonNode::asText).stream()
                    .filter(value -> !value.equals("null")).toList())
                    .as("%s enum", label).containsExactlyElementsOf(constants);
        }
        if (List.class.isAssignableFrom(type)) {
            Type element = ((ParameterizedType) genericType).getActualTypeArguments()[0];
            Class<?> elementClass = (Class<?>) element;
            JsonNode items = property.path("items");
            compareType(softly, root, items, jsonTypes(items), elementClass, elementClass, label + "[]");
        }
    }

    private static String expectedJsonType(Class<?> type) {
        if (type == String.class || type.isEnum() || type == Instant.class || type == BigDecimal.class) {
            return "string";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "integer";
        }
        if (type == double.class || type == Double.class) {
            return "number";
        }
        if (type == boolean.class) {
            return "boolean";
        }
        if (List.class.isAssignableFrom(type)) {
            return "array";
        }
        if (Map.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type)) {
            return "object";
        }
        throw new IllegalArgumentException("no JSON type for " + type);
    }

    private static Set<String> jsonTypes(JsonNode property) {
        JsonNode type = property.path("type");
        if (type.isArray()) {
            return StreamSupport.stream(type.spliterator(), false).map(JsonNode::asText).collect(Collectors.toSet());
        }
        return type.isMissingNode() ? Set.of() : Set.of(type.asText());
    }

    private static List<String> names(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static List<String> names(Iterator<JsonNode> nodes,
            Function<JsonNode, String> text) {
        List<String> list = new ArrayList<>();
        nodes.forEachRemaining(node -> list.add(text.apply(node)));
        return list;
    }

    private static List<Error> validate(ContractType type, String json) {
        try (InputStream in = SchemaDriftTest.class.getResourceAsStream(type.schemaResource())) {
            Schema schema = REGISTRY.getSchema(in);
            return schema.validate(json, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode schemaTree(ContractType type) {
        try (InputStream in = SchemaDriftTest.class.getResourceAsStream(type.schemaResource())) {
            assertThat(in).as("schema %s on the class path", type.schemaResource()).isNotNull();
            return ContractJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
