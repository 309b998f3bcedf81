package dev.meridian.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each rule, run against fixtures that break it and fixtures that keep it: a rule that never fails guards nothing. */
class ArchitectureRulesTest {

    private static final String FIXTURES = "dev.meridian.architecture.fixtures";

    private static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() {
        fixtures = new ClassFileImporter().importPackages(FIXTURES);
    }

    @Test
    void policyRuleCatchesAKafkaType() {
        assertThatThrownBy(() -> ArchitectureRules.policyUsesNoInfrastructure(FIXTURES + ".policy").check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ImpurePolicy")
                .hasMessageContaining("org.apache.kafka.common.serialization.Serdes");
    }

    @Test
    void wallClockRuleCatchesInstantNow() {
        assertThatThrownBy(() -> ArchitectureRules.policyNeverReadsTheWallClock(FIXTURES + ".policy").check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("java.time.Instant.now()");
    }

    @Test
    void policyRulesLetClockBasedCodeThrough() {
        assertThatCode(() -> {
            ArchitectureRules.policyUsesNoInfrastructure(FIXTURES + ".purepolicy").check(fixtures);
            ArchitectureRules.policyNeverReadsTheWallClock(FIXTURES + ".purepolicy").check(fixtures);
        }).doesNotThrowAnyException();
    }

    @Test
    void serviceRuleCatchesOneServiceCallingAnother() {
        assertThatThrownBy(() -> ArchitectureRules.servicesAreIndependent(FIXTURES, List.of("ingest", "scheduler"))
                .check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("IngestThing")
                .hasMessageContaining("SchedulerThing");
    }

    @Test
    void testkitRuleCatchesProductionCodeUsingAnEmbeddedBroker() {
        assertThatThrownBy(() -> ArchitectureRules.mainCodeNeverUsesTheTestkit("dev.meridian.testkit",
                "dev.meridian.testkit..").check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("UsesEmbeddedKafka");
    }

    @Test
    void kafkaClientRuleCatchesAServiceBuildingItsOwnConsumer() {
        assertThatThrownBy(() -> ArchitectureRules.servicesBuildNoRawKafkaClients(FIXTURES, List.of("ingest"))
                .check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("IngestThing")
                .hasMessageContaining("KafkaConsumer.<init>");
    }

    @Test
    void topologyRuleNamesEveryBuilderOutOfPlace() {
        assertThat(ArchitectureRules.topologyBuildersOutOfShape(fixtures, FIXTURES + ".scheduler")).containsExactly(
                FIXTURES + ".scheduler has 2 static Topology builders, not one: ["
                        + FIXTURES + ".scheduler.SchedulerThing.topology, "
                        + FIXTURES + ".scheduler.streams.SchedulerTopology.build]",
                FIXTURES + ".scheduler.SchedulerThing.topology is not <Name>Topology.build in "
                        + FIXTURES + ".scheduler.streams.");
        assertThat(ArchitectureRules.topologyBuildersOutOfShape(fixtures, FIXTURES + ".ingest")).containsExactly(
                FIXTURES + ".ingest has 0 static Topology builders, not one: []");
    }

    @Test
    void metricsRuleCatchesAMeterOutsideTheMetricsPackage() {
        assertThatThrownBy(() -> ArchitectureRules.micrometerOnlyInMetricsPackages(FIXTURES, List.of("scheduler"))
                .check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("SchedulerThing")
                .hasMessageContaining("io.micrometer.core.instrument.Counter")
                .hasMessageNotContaining("MicrometerSchedulerThing");
    }

    @Test
    void roleRuleNamesEveryOpenDoorAndLetsThePublicOnesThrough() {
        assertThat(ArchitectureRules.restMethodsWithoutARoleRule(fixtures, FIXTURES, List.of("ingest"),
                java.util.Set.of("IngestResource.publicKeys"), java.util.Set.of("agent"))).containsExactly(
                FIXTURES + ".ingest.IngestResource.anyAuthenticated names a role that is not one of [agent]",
                FIXTURES + ".ingest.IngestResource.open", FIXTURES + ".ingest.IngestResource.permittedButNotPublic");
    }
}
