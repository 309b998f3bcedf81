package dev.meridian.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;

/**
 * The rules, parameterised by package so that the fixture tests can prove each one catches a violation and
 * {@link ArchitectureTest} can apply them to the real code.
 */
final class ArchitectureRules {

    /** Package roots of the services under {@code dev.meridian}; one per folder in services/. */
    static final List<String> SERVICES = List.of("ingest", "scheduler", "scaler", "cost", "audit");

    private static final String[] IMPURE_PACKAGES = {
        "org.apache.kafka..", "io.quarkus..", "io.smallrye..", "io.vertx..", "jakarta..", "javax..",
        "java.sql..", "java.io..", "java.nio..", "java.net..", "java.net.http..", "org.postgresql..",
        "io.debezium..", "com.fasterxml.jackson..", "org.jboss..", "org.slf4j.."
    };

    private ArchitectureRules() {
    }

    /** Decision logic stays pure: no Kafka, Quarkus, JDBC, serialization or I/O types. */
    static ArchRule policyUsesNoInfrastructure(String policyPackage) {
        return noClasses().that().resideInAPackage(policyPackage + "..")
                .should().dependOnClassesThat().resideInAnyPackage(IMPURE_PACKAGES)
                .because("policy must run unchanged in services, the what-if replay and benchmarks");
    }

    /** Determinism: time comes from a Clock or an Instant handed in, never from the wall clock. */
    static ArchRule policyNeverReadsTheWallClock(String policyPackage) {
        return noClasses().that().resideInAPackage(policyPackage + "..")
                .should().callMethodWhere(readsWallClock())
                .because("policy decisions must be reproducible from their inputs and a Clock");
    }

    /** Services meet only on topics: no service's classes reference another service's classes. */
    static ArchRule servicesAreIndependent(String basePackage, List<String> services) {
        List<ArchRule> rules = services.stream()
                .map(service -> (ArchRule) noClasses().that().resideInAPackage(basePackage + "." + service + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(otherServices(basePackage, services, service))
                        .allowEmptyShould(true))
                .toList();
        return CompositeArchRule.of(rules).as("services never depend on each other");
    }

    /** The test kit is for tests, the sandbox and benchmarks; production code never needs an embedded server. */
    static ArchRule mainCodeNeverUsesTheTestkit(String testkitPackage, String... allowedPackages) {
        return noClasses().that().resideOutsideOfPackages(allowedPackages)
                .should().dependOnClassesThat().resideInAPackage(testkitPackage + "..");
    }

    private static String[] otherServices(String basePackage, List<String> services, String self) {
        return services.stream().filter(s -> !s.equals(self)).map(s -> basePackage + "." + s + "..")
                .toArray(String[]::new);
    }

    private static DescribedPredicate<JavaCall<?>> readsWallClock() {
        return DescribedPredicate.describe("a wall-clock read", call -> {
            String owner = call.getTargetOwner().getName();
            String name = call.getName();
            boolean javaTimeNow = owner.startsWith("java.time.") && name.equals("now");
            boolean systemClock = owner.equals("java.time.Clock") && name.startsWith("system");
            boolean systemTime = owner.equals("java.lang.System")
                    && (name.equals("currentTimeMillis") || name.equals("nanoTime"));
            return javaTimeNow || systemClock || systemTime;
        });
    }
}
