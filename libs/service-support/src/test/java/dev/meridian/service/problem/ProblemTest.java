package dev.meridian.service.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemTest {

    @Test
    void typesShareOneUrnScheme() {
        assertThat(Problem.type("unknown-client-region")).hasToString("urn:meridian:problem:unknown-client-region");
        assertThat(Problem.type("v2")).hasScheme("urn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Upper", "two  spaces", "trailing-", "-leading", "a--b", "under_score"})
    void rejectsSlugsThatWouldNotReadAsOneName(String slug) {
        assertThatIllegalArgumentException().isThrownBy(() -> Problem.type(slug)).withMessageContaining(slug);
    }
}
