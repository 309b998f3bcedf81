package dev.meridian.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Rules on the Maven module graph, which ArchUnit cannot see: a service could depend on another service's jar
 * without ever naming one of its classes, and the test kit could sneak in at compile scope.
 */
class ModuleGraphTest {

    private static List<Module> modules;

    @BeforeAll
    static void readEveryModulePom() throws IOException {
        Path root = Path.of(System.getProperty("meridian.root", "../.."));
        try (Stream<Path> poms = Files.walk(root, 3)) {
            modules = poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.getParent().equals(root))
                    .filter(p -> !p.toString().contains("/target/"))
                    .map(p -> Module.read(root, p))
                    .toList();
        }
    }

    @Test
    void findsTheModules() {
        assertThat(modules).extracting(Module::artifactId)
                .contains("meridian-contracts", "meridian-policy", "meridian-testkit");
    }

    @Test
    void noServiceDependsOnAnotherService() {
        Set<String> services = modules.stream().filter(m -> m.path().startsWith("services/"))
                .map(Module::artifactId).collect(Collectors.toSet());
        for (Module module : modules) {
            if (module.path().startsWith("services/")) {
                assertThat(module.dependencies()).as(module.path())
                        .extracting(Dependency::artifactId)
                        .doesNotContainAnyElementsOf(services);
            }
        }
    }

    @Test
    void testkitIsOnlyATestDependencyOutsideTheSandboxAndBenchmarks() {
        for (Module module : modules) {
            if (module.path().startsWith("tools/sandbox") || module.path().startsWith("bench")) {
                continue;
            }
            module.dependencies().stream().filter(d -> d.artifactId().equals("meridian-testkit"))
                    .forEach(d -> assertThat(d.scope()).as(module.path() + " uses the test kit").isEqualTo("test"));
        }
    }

    @Test
    void policyDependsOnNothingOfOursButContracts() {
        Module policy = modules.stream().filter(m -> m.artifactId().equals("meridian-policy")).findFirst().orElseThrow();
        assertThat(policy.dependencies()).filteredOn(d -> d.groupId().equals("dev.meridian"))
                .extracting(Dependency::artifactId)
                .containsExactly("meridian-contracts");
    }

    @Test
    void everyModuleWithMainCodeIsGuardedByTheseTests() {
        Module self = modules.stream().filter(m -> m.path().equals("tests/architecture")).findFirst().orElseThrow();
        Set<String> guarded = self.dependencies().stream().map(Dependency::artifactId).collect(Collectors.toSet());
        Path root = Path.of(System.getProperty("meridian.root", "../.."));
        for (Module module : modules) {
            if (Files.isDirectory(root.resolve(module.path()).resolve("src/main/java"))
                    && !module.path().startsWith("bench")) {
                assertThat(guarded).as("tests/architecture must depend on " + module.artifactId())
                        .contains(module.artifactId());
            }
        }
    }

    record Dependency(String groupId, String artifactId, String scope) {
    }

    record Module(String path, String artifactId, List<Dependency> dependencies) {

        static Module read(Path root, Path pom) {
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                Document doc = factory.newDocumentBuilder().parse(pom.toFile());
                Element project = doc.getDocumentElement();
                String artifactId = directChild(project, "artifactId");
                List<Dependency> dependencies = new java.util.ArrayList<>();
                Element deps = directElement(project, "dependencies");
                if (deps != null) {
                    NodeList list = deps.getElementsByTagName("dependency");
                    for (int i = 0; i < list.getLength(); i++) {
                        Element dep = (Element) list.item(i);
                        String scope = directChild(dep, "scope");
                        dependencies.add(new Dependency(directChild(dep, "groupId"), directChild(dep, "artifactId"),
                                scope == null ? "compile" : scope));
                    }
                }
                String path = root.relativize(pom.getParent()).toString().replace('\\', '/');
                return new Module(path, artifactId, List.copyOf(dependencies));
            } catch (Exception e) {
                throw new IllegalStateException("cannot read " + pom, e);
            }
        }

        private static Element directElement(Element parent, String name) {
            for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    return e;
                }
            }
            return null;
        }

        private static String directChild(Element parent, String name) {
            Element e = directElement(parent, name);
            return e == null ? null : e.getTextContent().trim();
        }
    }
}
