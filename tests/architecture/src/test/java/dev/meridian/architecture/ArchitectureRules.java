package dev.meridian.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.Topology;

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

    private static final Set<String> RAW_CLIENTS = Set.of("org.apache.kafka.clients.consumer.KafkaConsumer",
            "org.apache.kafka.clients.producer.KafkaProducer");

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

    /**
     * Services build no raw Kafka client themselves: they ask the support library's {@code KafkaClientSettings},
     * so transport security configured once reaches every client.
     */
    static ArchRule servicesBuildNoRawKafkaClients(String basePackage, List<String> services) {
        String[] servicePackages = services.stream().map(s -> basePackage + "." + s + "..").toArray(String[]::new);
        return noClasses().that().resideInAnyPackage(servicePackages)
                .should().callConstructorWhere(DescribedPredicate.describe("a raw Kafka client's constructor",
                        call -> RAW_CLIENTS.contains(call.getTargetOwner().getName())))
                .because("every client must get the service's one Kafka configuration (TLS, SASL)");
    }

    /**
     * Every door says who may use it: each REST method of a service carries {@code @RolesAllowed} (on itself or its
     * class). {@code @PermitAll} only where the answer is public by design, named in {@code publicMethods}
     * ({@code Class.method}). Returns the methods that break it, empty when none does.
     */
    static List<String> restMethodsWithoutARoleRule(JavaClasses classes, String basePackage, List<String> services,
            Set<String> publicMethods, Set<String> roleNames) {
        List<String> open = new ArrayList<>();
        for (JavaClass type : classes) {
            boolean inService = services.stream().anyMatch(s -> type.getPackageName().startsWith(basePackage + "." + s));
            if (!inService || !type.isAnnotatedWith("jakarta.ws.rs.Path")) {
                continue;
            }
            for (JavaMethod method : type.getAllMethods()) {
                boolean rest = HTTP_METHODS.stream().anyMatch(method::isAnnotatedWith);
                if (!rest) {
                    continue;
                }
                String name = type.getSimpleName() + "." + method.getName();
                boolean roles = method.isAnnotatedWith(ROLES_ALLOWED) || type.isAnnotatedWith(ROLES_ALLOWED);
                if (roles && !knownRoles(method.isAnnotatedWith(ROLES_ALLOWED)
                        ? method.getAnnotationOfType(ROLES_ALLOWED).get("value")
                        : type.getAnnotationOfType(ROLES_ALLOWED).get("value"), roleNames)) {
                    open.add(type.getName() + "." + method.getName() + " names a role that is not one of " + roleNames);
                    continue;
                }
                boolean permitAll = method.isAnnotatedWith("jakarta.annotation.security.PermitAll")
                        || type.isAnnotatedWith("jakarta.annotation.security.PermitAll");
                if (permitAll ? !publicMethods.contains(name) : !roles) {
                    open.add(type.getName() + "." + method.getName());
                }
            }
        }
        open.sort(null);
        return open;
    }

    private static final List<String> HTTP_METHODS = List.of("jakarta.ws.rs.GET", "jakarta.ws.rs.POST",
            "jakarta.ws.rs.PUT", "jakarta.ws.rs.DELETE", "jakarta.ws.rs.PATCH", "jakarta.ws.rs.HEAD",
            "jakarta.ws.rs.OPTIONS");
    private static final String ROLES_ALLOWED = "jakarta.annotation.security.RolesAllowed";

    /** A wildcard such as {@code "**"} (any authenticated caller) or a misspelt role is not a rule. */
    private static boolean knownRoles(Optional<Object> value, Set<String> roleNames) {
        return value.map(v -> v instanceof String[] names && names.length > 0
                && Arrays.stream(names).allMatch(roleNames::contains)).orElse(false);
    }

    /**
     * One metrics style: plain code calls an interface named for what it measures; only the Micrometer classes of a
     * service's {@code metrics} package touch Micrometer.
     */
    static ArchRule micrometerOnlyInMetricsPackages(String basePackage, List<String> services) {
        String[] servicePackages = services.stream().map(s -> basePackage + "." + s + "..").toArray(String[]::new);
        return noClasses().that().resideInAnyPackage(servicePackages).and().resideOutsideOfPackage("..metrics..")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .because("meters are registered in one place per service, behind the interface the code calls");
    }

    /**
     * A Streams service assembles its topology in one place: one {@code <Name>Topology} class in its {@code streams}
     * package with a static {@code build} returning the {@code Topology}, which the app, the tests and the benchmarks
     * all call. Returns what is wrong, empty when the service keeps to it.
     */
    static List<String> topologyBuildersOutOfShape(JavaClasses classes, String servicePackage) {
        List<String> builders = new ArrayList<>();
        for (JavaClass type : classes) {
            if (!type.getPackageName().startsWith(servicePackage)) {
                continue;
            }
            for (JavaMethod method : type.getMethods()) {
                boolean buildsTopology = method.getModifiers().contains(JavaModifier.STATIC)
                        && method.getRawReturnType().isEquivalentTo(Topology.class);
                if (buildsTopology) {
                    builders.add(type.getName() + "." + method.getName());
                }
            }
        }
        builders.sort(null); // the class import has no order; the message should
        List<String> problems = new ArrayList<>();
        if (builders.size() != 1) {
            problems.add(servicePackage + " has " + builders.size() + " static Topology builders, not one: "
                    + builders);
        }
        for (String builder : builders) {
            String expected = servicePackage + ".streams.";
            String simple = builder.substring(builder.lastIndexOf('.', builder.lastIndexOf('.') - 1) + 1);
            if (!builder.startsWith(expected) || !simple.matches("[A-Z][A-Za-z]*Topology\\.build")) {
                problems.add(builder + " is not <Name>Topology.build in " + expected);
            }
        }
        return problems;
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
