package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;

/**
 * Every service runs like the issue asks: requests and limits, health probes on /q/health of the management port,
 * non-root with a read-only root filesystem and no privilege escalation, spread over zones, a disruption budget, a
 * Service, and a network policy that lets it reach Kafka (and, for audit, PostgreSQL) only and lets only Prometheus
 * reach its management port.
 */
class WorkloadsTest {

    private static final String ZONE = "topology.kubernetes.io/zone";
    /** The port names: the API (services with one) and Quarkus' management interface (health, metrics). */
    private static final String HTTP = "http";
    private static final String MANAGEMENT = "management";

    private static List<Manifests.Doc> docs;
    private static Map<String, Deployment> deployments;

    @BeforeAll
    static void read() {
        docs = Manifests.resources();
        deployments = Manifests.ofKind(docs, Deployment.class).values().stream()
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d));
    }

    @Test
    void oneDeploymentPerService() {
        assertThat(deployments.keySet()).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
    }

    @Test
    void everyContainerHasRequestsLimitsProbesAndARestrictedContext() {
        deployments.forEach((name, deployment) -> {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getContainers()).as(name).isNotEmpty();
            for (Container c : pod.getContainers()) {
                String what = name + "/" + c.getName();
                assertRequestsAndLimits(what, c.getResources());
                assertProbe(what, c, c.getStartupProbe(), "/q/health/started");
                assertProbe(what, c, c.getLivenessProbe(), "/q/health/live");
                assertProbe(what, c, c.getReadinessProbe(), "/q/health/ready");
                SecurityContext sc = c.getSecurityContext();
                assertThat(sc).as(what + " securityContext").isNotNull();
                assertThat(sc.getRunAsNonRoot()).as(what + " runAsNonRoot").isTrue();
                assertThat(sc.getReadOnlyRootFilesystem()).as(what + " readOnlyRootFilesystem").isTrue();
                assertThat(sc.getAllowPrivilegeEscalation()).as(what + " allowPrivilegeEscalation").isFalse();
                assertThat(sc.getCapabilities().getDrop()).as(what + " capabilities").containsExactly("ALL");
            }
        });
    }

    @Test
    void containerPortsAreTheServicesApiAndManagementPorts() {
        deployments.forEach((name, deployment) -> {
            Map<String, String> properties = Properties.read(Repo.serviceProperties(name));
            assertThat(properties).as(name + " serves health and metrics on the management interface")
                    .containsEntry("quarkus.management.enabled", "true");
            Map<String, Integer> expected = new TreeMap<>();
            expected.put(MANAGEMENT, Integer.parseInt(properties.get("quarkus.management.port")));
            // A service without an API (no token verification) has nothing on quarkus.http.port.
            if (Repo.servesApi(name)) {
                expected.put(HTTP, Integer.parseInt(properties.get("quarkus.http.port")));
            }
            Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getPorts().stream()
                    .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort)))
                    .as(name).isEqualTo(expected);
        });
    }

    @Test
    void replicasSpreadOverZonesUnlessTheServiceHasOneWriter() {
        deployments.forEach((name, deployment) -> {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            List<TopologySpreadConstraint> spread = deployment.getSpec().getTemplate().getSpec()
                    .getTopologySpreadConstraints();
            assertThat(spread).as(name).anySatisfy(t -> {
                assertThat(t.getTopologyKey()).isEqualTo(ZONE);
                assertThat(t.getMaxSkew()).isEqualTo(1);
                assertThat(t.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
                assertThat(labels).containsAllEntriesOf(t.getLabelSelector().getMatchLabels());
            });
            boolean singleWriter = "true".equals(deployment.getMetadata().getAnnotations() == null ? null
                    : deployment.getMetadata().getAnnotations().get("meridian.dev/single-writer"));
            if (singleWriter) {
                assertThat(deployment.getSpec().getReplicas()).as(name).isEqualTo(1);
                assertThat(deployment.getSpec().getStrategy().getType()).as(name).isEqualTo("Recreate");
            } else {
                // Two replicas and maxSkew 1 over zones with DoNotSchedule: two zones at least.
                assertThat(deployment.getSpec().getReplicas()).as(name).isGreaterThanOrEqualTo(2);
            }
        });
    }

    @Test
    void everyDeploymentHasADisruptionBudgetAndAService() {
        List<PodDisruptionBudget> budgets = List.copyOf(Manifests.ofKind(docs, PodDisruptionBudget.class).values());
        List<Service> services = List.copyOf(Manifests.ofKind(docs, Service.class).values());
        deployments.forEach((name, deployment) -> {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(budgets).as(name + " PodDisruptionBudget")
                    .anySatisfy(b -> assertThat(labels)
                            .containsAllEntriesOf(b.getSpec().getSelector().getMatchLabels()));
            Set<String> ports = Repo.servesApi(name) ? Set.of(HTTP, MANAGEMENT) : Set.of(MANAGEMENT);
            assertThat(services).as(name + " Service").anySatisfy(s -> {
                assertThat(labels).containsAllEntriesOf(s.getSpec().getSelector());
                assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName)
                        .containsExactlyInAnyOrderElementsOf(ports);
                s.getSpec().getPorts().forEach(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo(p.getName()));
            });
        });
    }

    @Test
    void networkPoliciesLetEachServiceReachKafkaAndItsDatabaseOnly() {
        // The base's policies; components add their own (the scaler's API access, checked below).
        List<Manifests.Doc> base = docs.stream().filter(d -> d.file().startsWith(Repo.DEPLOY.resolve("services")))
                .toList();
        List<NetworkPolicy> policies = List.copyOf(Manifests.ofKind(base, NetworkPolicy.class).values());
        deployments.forEach((name, deployment) -> {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            List<NetworkPolicy> own = policies.stream().filter(p -> {
                Map<String, String> selector = p.getSpec().getPodSelector().getMatchLabels();
                return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
            }).toList();
            assertThat(own).as(name).singleElement().satisfies(p -> {
                assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
                Set<Integer> ports = p.getSpec().getEgress().stream().map(NetworkPolicyEgressRule::getPorts)
                        .flatMap(List::stream).map(NetworkPolicyPort::getPort).map(port -> port.getIntVal())
                        .collect(Collectors.toSet());
                Set<Integer> allowed = name.equals("audit") ? Set.of(53, 9093, 5432) : Set.of(53, 9093);
                assertThat(ports).as(name + " egress ports").isEqualTo(allowed);
                p.getSpec().getEgress().forEach(rule -> assertThat(rule.getTo()).as(name + " egress has a peer")
                        .isNotEmpty());
                List<NetworkPolicyIngressRule> ingress = p.getSpec().getIngress();
                // A rule without ports would open every port, the management port too.
                ingress.forEach(rule -> assertThat(rule.getPorts()).as(name + " ingress rule ports").isNotEmpty());
                // Prometheus scrapes the management port, and nothing else reaches it (the kubelet's probes come
                // from the node, which a NetworkPolicy does not filter).
                assertThat(ingress).as(name + " ingress from monitoring").anySatisfy(rule -> {
                    assertThat(rule.getFrom()).anySatisfy(peer -> assertThat(isPrometheus(peer)).isTrue());
                    assertThat(portNames(rule)).containsExactly(MANAGEMENT);
                });
                ingress.stream().filter(rule -> portNames(rule).contains(MANAGEMENT)).forEach(rule ->
                        assertThat(rule.getFrom()).as(name + " peers reaching the management port")
                                .isNotEmpty().allSatisfy(peer -> assertThat(isPrometheus(peer)).isTrue()));
                // The API's clients reach the API port only.
                Set<String> open = ingress.stream().flatMap(rule -> portNames(rule).stream())
                        .collect(Collectors.toSet());
                assertThat(open).as(name + " ports open to ingress")
                        .isEqualTo(Repo.servesApi(name) ? Set.of(HTTP, MANAGEMENT) : Set.of(MANAGEMENT));
            });
        });
    }

    @Test
    void theScalerReachesTheKubernetesApiOnlyWithTheActuatorComponent() {
        List<Manifests.Doc> actuator = Manifests.documents(Repo.DEPLOY.resolve(
                "components/scaler-actuator/network-policy.yaml"));
        NetworkPolicy api = Manifests.typed(actuator.get(0), NetworkPolicy.class);
        assertThat(api.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "scaler");
        assertThat(api.getSpec().getEgress()).flatExtracting(NetworkPolicyEgressRule::getPorts)
                .extracting(p -> p.getPort().getIntVal()).containsExactlyInAnyOrder(443, 6443);
        assertThat(deployments.get("scaler").getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
                .as("no API token without the actuator").isFalse();
        assertThat(Repo.read(Repo.DEPLOY.resolve("components/scaler-actuator/actuator.properties")))
                .contains("meridian.scaler.actuator.kubernetes.enabled=true");
    }

    @Test
    void strimziWorkloadsHaveRequestsAndLimitsAndSpreadOverZones() {
        Manifests.ofKind(docs, KafkaNodePool.class).forEach((doc, pool) -> {
            assertRequestsAndLimits(doc.toString(), pool.getSpec().getResources());
            assertThat(pool.getSpec().getTemplate().getPod().getTopologySpreadConstraints()).as(doc.toString())
                    .anySatisfy(t -> assertThat(t.getTopologyKey()).isEqualTo(ZONE));
        });
        Manifests.ofKind(docs, KafkaConnect.class).forEach((doc, connect) ->
                assertRequestsAndLimits(doc.toString(), connect.getSpec().getResources()));
        Manifests.ofKind(docs, KafkaMirrorMaker2.class).forEach((doc, mirror) ->
                assertRequestsAndLimits(doc.toString(), mirror.getSpec().getResources()));
    }

    private static void assertRequestsAndLimits(String what, ResourceRequirements resources) {
        assertThat(resources).as(what + " resources").isNotNull();
        assertThat(resources.getRequests()).as(what + " requests").containsKeys("cpu", "memory");
        assertThat(resources.getLimits()).as(what + " limits").containsKeys("cpu", "memory");
    }

    private static void assertProbe(String what, Container c, Probe probe, String path) {
        assertThat(probe).as(what + " probe " + path).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get.getPath()).as(what).isEqualTo(path);
        String port = get.getPort().getStrVal();
        assertThat(port).as(what + " probe " + path + " on the management port").isEqualTo(MANAGEMENT);
        assertThat(c.getPorts()).as(what + " probe port").anySatisfy(p -> assertThat(p.getName()).isEqualTo(port));
    }

    /** The named ports an ingress rule opens. */
    private static Set<String> portNames(NetworkPolicyIngressRule rule) {
        return rule.getPorts().stream().map(p -> p.getPort().getStrVal()).collect(Collectors.toSet());
    }

    /** The Prometheus Operator's Prometheus pods in namespace monitoring. */
    private static boolean isPrometheus(NetworkPolicyPeer peer) {
        return peer.getNamespaceSelector() != null && peer.getPodSelector() != null
                && "monitoring".equals(peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                && "prometheus".equals(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
    }
}
