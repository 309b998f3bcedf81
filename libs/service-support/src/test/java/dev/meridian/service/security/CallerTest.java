package dev.meridian.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.testkit.security.VerifiedTokens;
import jakarta.ws.rs.ForbiddenException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the regions claim is read: the wildcard only alone, a mistake never widening access. */
class CallerTest {

    private static Caller caller(Object regions) {
        return new Caller(VerifiedTokens.withRegions("tester", regions));
    }

    @Test
    void theDoorMatrixOfEveryServiceTriesExactlyTheRolesThereAre() {
        assertThat(dev.meridian.testkit.security.DoorMatrix.ROLES).isEqualTo(Roles.ALL);
    }

    @Test
    void theWildcardAloneMeansEveryRegionAndNoLimitOnQueries() {
        assertThat(caller(List.of("*")).allRegions()).isTrue();
        assertThat(caller("*").regionLimit()).isEmpty();
        assertThat(caller(List.of("*")).maySee("ap-southeast")).isTrue();
    }

    @Test
    void aWildcardMixedIntoRegionsGrantsNothing() {
        Caller mixed = caller(List.of("eu-west", "*"));

        assertThat(mixed.allRegions()).isFalse();
        assertThat(mixed.maySee("eu-west")).isFalse();
        assertThat(mixed.regionLimit()).contains(Set.of());
        assertThat(caller("eu-west,*").maySee("ap-southeast")).isFalse();
    }

    @Test
    void namedRegionsAreExactAndACommaStringIsTrimmed() {
        Caller eu = caller(" eu-west , eu-central");

        assertThat(eu.regionLimit()).contains(Set.of("eu-west", "eu-central"));
        assertThat(eu.maySee("EU-WEST")).isFalse();
        assertThatThrownBy(() -> eu.requireRegion("ap-southeast")).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("ap-southeast");
    }

    @Test
    void noClaimMeansNoRegion() {
        Caller none = caller(null);

        assertThat(none.allRegions()).isFalse();
        assertThat(none.regionLimit()).isEqualTo(Optional.of(Set.of()));
        assertThat(caller(List.of()).maySee("us-east")).isFalse();
    }
}
