package dev.meridian.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.ContractSamples.OutOfRange;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.validation.ContractViolationException;
import dev.meridian.contracts.validation.Validated;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON contract, applied to every record through its sample. */
class AllContractsJsonTest {

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void sampleIsValid(ContractType type) {
        assertThat(ContractSamples.sample(type).violations()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void roundTripEqualsOriginal(ContractType type) {
        Validated sample = ContractSamples.sample(type);

        Object read = ContractJson.read(ContractJson.write(sample), type.recordClass());

        assertThat(read).isEqualTo(sample);
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void writesExactlyTheRecordComponentsThatAreSet(ContractType type) throws Exception {
        Validated sample = ContractSamples.sample(type);
        List<String> set = new ArrayList<>();
        for (RecordComponent component : type.recordClass().getRecordComponents()) {
            if (component.getAccessor().invoke(sample) != null) {
                set.add(component.getName());
            }
        }

        ObjectNode written = JsonTrees.parse(ContractJson.writeString(sample));

        assertThat(written.fieldNames()).toIterable().containsExactlyElementsOf(set);
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void ignoresUnknownFields(ContractType type) {
        Validated sample = ContractSamples.sample(type);
        ObjectNode tree = JsonTrees.tree(sample);
        tree.put("addedInV2", "a field a newer producer writes");
        tree.putObject("nestedAddition").put("x", 1);

        Object read = ContractJson.read(tree.toString(), type.recordClass());

        assertThat(read).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("dev.meridian.contracts.ContractSamples#requiredFields")
    void rejectsDocumentMissingRequiredField(ContractType type, String field) {
        String json = JsonTrees.remove(ContractSamples.sample(type), field);

        assertThatThrownBy(() -> ContractJson.read(json, type.recordClass()))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.rule()).isEqualTo("required");
                    assertThat(e).hasMessage(field + " is required");
                });
    }

    @ParameterizedTest(name = "{0} with {1}: null")
    @MethodSource("dev.meridian.contracts.ContractSamples#requiredFields")
    void rejectsRequiredFieldSetToNull(ContractType type, String field) {
        String json = JsonTrees.set(ContractSamples.sample(type), field, "null");

        assertThatThrownBy(() -> ContractJson.read(json, type.recordClass()))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.rule()).isEqualTo("required");
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.meridian.contracts.ContractSamples#outOfRange")
    void rejectsOutOfRangeValueNamingFieldAndRule(OutOfRange bad) {
        String json = JsonTrees.set(ContractSamples.sample(bad.type()), bad.path(), bad.json());

        assertThatThrownBy(() -> ContractJson.read(json, bad.type().recordClass()))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.field()).isEqualTo(bad.path());
                    assertThat(e.rule()).isEqualTo(bad.rule());
                    assertThat(e).hasMessage(bad.message());
                });
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void everyContractHasItsOwnSerdeInContractSerdes(ContractType type) {
        long factories = Arrays.stream(ContractSerdes.class.getDeclaredMethods())
                .filter(method -> method.getParameterCount() == 0)
                .filter(method -> method.getGenericReturnType().getTypeName()
                        .equals(JsonSerde.class.getName() + "<" + type.recordClass().getName() + ">"))
                .count();

        assertThat(factories).isEqualTo(1);
    }
}
