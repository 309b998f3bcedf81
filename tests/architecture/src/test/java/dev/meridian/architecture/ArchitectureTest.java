package dev.meridian.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.meridian.service.security.Roles;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Applies the rules to every production class of every module on this module's test class path. */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.meridian");
    }

    @Test
    void importsTheModulesItGuards() {
        // If the class path changes and nothing is imported, every rule below would pass vacuously.
        assertThat(production.containPackage("dev.meridian.policy.window")).isTrue();
        assertThat(production.containPackage("dev.meridian.contracts.topic")).isTrue();
        assertThat(production.containPackage("dev.meridian.testkit.kafka")).isTrue();
    }

    @Test
    void policyUsesNoKafkaQuarkusJdbcOrIoTypes() {
        ArchitectureRules.policyUsesNoInfrastructure("dev.meridian.policy").check(production);
    }

    @Test
    void policyNeverReadsTheWallClock() {
        ArchitectureRules.policyNeverReadsTheWallClock("dev.meridian.policy").check(production);
    }

    @Test
    void servicesNeverDependOnEachOther() {
        ArchitectureRules.servicesAreIndependent("dev.meridian", ArchitectureRules.SERVICES).check(production);
    }

    @Test
    void servicesBuildKafkaClientsOnlyThroughTheSupportLibrary() {
        ArchitectureRules.servicesBuildNoRawKafkaClients("dev.meridian", ArchitectureRules.SERVICES).check(production);
    }

    @Test
    void everyRestMethodNamesItsRoles() {
        // The digest keys are public on purpose: anyone must be able to verify an export.
        assertThat(ArchitectureRules.restMethodsWithoutARoleRule(production, "dev.meridian",
                ArchitectureRules.SERVICES, Set.of("KeysResource.keys"), Roles.ALL)).isEmpty();
    }

    @Test
    void onlyMetricsPackagesTouchMicrometer() {
        ArchitectureRules.micrometerOnlyInMetricsPackages("dev.meridian", ArchitectureRules.SERVICES).check(production);
    }

    @Test
    void everyStreamsServiceBuildsItsTopologyInOnePlace() {
        for (String service : List.of("ingest", "scaler", "cost", "audit")) {
            assertThat(ArchitectureRules.topologyBuildersOutOfShape(production, "dev.meridian." + service))
                    .as(service).isEmpty();
        }
    }

    @Test
    void mainCodeNeverDependsOnTheTestkit() {
        ArchitectureRules.mainCodeNeverUsesTheTestkit("dev.meridian.testkit",
                "dev.meridian.testkit..", "dev.meridian.sandbox..", "dev.meridian.bench..").check(production);
    }
}
