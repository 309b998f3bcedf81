package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * HTTPS for the services, API and management port alike: each service has a cert-manager Certificate (Secret
 * {@code <service>-tls}, its Service's in-cluster names, ECDSA P-256 with a new key at every renewal, 90 days renewed
 * 15 days ahead) from the CA Issuer meridian-ca, which deploy/ defines and whose CA the operator provides; its
 * Deployment mounts that Secret read-only at /etc/meridian/tls, where the service reads tls.crt and tls.key; the
 * kubelet probes over HTTPS; Prometheus scrapes over HTTPS, TLS 1.3, verifying the certificate against the Secret's
 * ca.crt under the Service's name; and nothing in deploy/ calls a service over plain HTTP.
 */
class HttpsTest {

    private static final String ISSUER = "meridian-ca";
    private static final String TLS_DIRECTORY = "/etc/meridian/tls";
    private static final Path SERVICE_MONITORS = Repo.DEPLOY.resolve("observability/service-monitors.yaml");

    /** cert-manager.io/v1 CertificateSpec's fields: a misspelled one is pruned by the API server, not refused. */
    private static final Set<String> CERTIFICATE_SPEC_FIELDS = Set.of("subject", "literalSubject", "commonName",
            "duration", "renewBefore", "renewBeforePercentage", "dnsNames", "ipAddresses", "uris", "otherNames",
            "emailAddresses", "secretName", "secretTemplate", "keystores", "issuerRef", "isCA", "usages", "privateKey",
            "encodeUsagesInRequest", "revisionHistoryLimit", "additionalOutputFormats", "nameConstraints");

    private static List<Manifests.Doc> docs;
    private static Map<String, Deployment> deployments;
    private static Map<String, Service> services;
    private static String namespace;

    @BeforeAll
    static void read() {
        docs = Manifests.resources();
        deployments = Manifests.ofKind(docs, Deployment.class).values().stream()
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d));
        services = Manifests.ofKind(docs, Service.class).values().stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        // The base puts every service in its namespace; the Service's DNS names follow from it.
        namespace = Manifests.kustomization(Repo.DEPLOY.resolve("base")).path("namespace").asText();
    }

    @Test
    void theCaIssuerSignsWithTheCaTheOperatorProvides() {
        List<Manifests.Doc> issuers = docs.stream().filter(d -> d.kind().equals("Issuer")).toList();
        assertThat(issuers).singleElement().satisfies(doc -> {
            assertThat(doc.name()).isEqualTo(ISSUER);
            JsonNode spec = doc.tree().path("spec");
            // A CA issuer: it signs with the key pair of a Secret, which nothing in deploy/ holds.
            assertThat(fields(spec)).as(doc.toString()).containsExactly("ca");
            assertThat(fields(spec.path("ca"))).as(doc.toString()).isSubsetOf("secretName", "crlDistributionPoints",
                    "ocspServers", "issuingCertificateURLs");
            assertThat(spec.path("ca").path("secretName").asText()).as(doc.toString()).isNotBlank();
        });
    }

    @Test
    void everyServiceHasACertificateForItsServiceNamesFromTheMeridianCa() {
        for (String service : Repo.SERVICES) {
            List<Manifests.Doc> certificates = certificates(service + "-tls");
            assertThat(certificates).as(service + " Certificate").singleElement().satisfies(doc -> {
                String what = doc.toString();
                JsonNode spec = doc.tree().path("spec");
                assertThat(CERTIFICATE_SPEC_FIELDS).as(what + " fields").containsAll(fields(spec));
                assertThat(services).as(service + " Service").containsKey(service);
                assertThat(texts(spec.path("dnsNames"))).as(what + " dnsNames")
                        .containsExactlyInAnyOrderElementsOf(serviceNames(service));
                JsonNode issuer = spec.path("issuerRef");
                assertThat(fields(issuer)).as(what + " issuerRef").isSubsetOf("name", "kind", "group");
                assertThat(issuer.path("name").asText()).as(what + " issuer").isEqualTo(ISSUER);
                assertThat(issuer.path("kind").asText()).as(what + " issuer kind").isEqualTo("Issuer");
                assertThat(issuer.path("group").asText("cert-manager.io")).as(what + " issuer group")
                        .isEqualTo("cert-manager.io");
                JsonNode key = spec.path("privateKey");
                assertThat(fields(key)).as(what + " privateKey").isSubsetOf("algorithm", "size", "rotationPolicy",
                        "encoding");
                assertThat(key.path("algorithm").asText()).as(what + " key algorithm").isEqualTo("ECDSA");
                assertThat(key.path("size").asInt()).as(what + " key size").isEqualTo(256);
                assertThat(key.path("rotationPolicy").asText()).as(what + " key rotation").isEqualTo("Always");
                assertThat(spec.path("duration").asText()).as(what + " duration").isEqualTo("2160h");
                assertThat(spec.path("renewBefore").asText()).as(what + " renewBefore").isEqualTo("360h");
                assertThat(spec.path("isCA").asBoolean(false)).as(what + " isCA").isFalse();
                if (spec.has("usages")) {
                    assertThat(texts(spec.path("usages"))).as(what + " usages").contains("server auth");
                }
            });
        }
    }

    @Test
    void everyDeploymentMountsItsCertificateReadOnlyAtEtcMeridianTls() {
        assertThat(deployments.keySet()).containsAll(Repo.SERVICES);
        for (String service : Repo.SERVICES) {
            PodSpec pod = deployments.get(service).getSpec().getTemplate().getSpec();
            List<Volume> tls = pod.getVolumes().stream().filter(v -> v.getSecret() != null
                    && (service + "-tls").equals(v.getSecret().getSecretName())).toList();
            assertThat(tls).as(service + " volume of Secret " + service + "-tls").singleElement().satisfies(volume -> {
                List<KeyToPath> items = volume.getSecret().getItems();
                if (items != null && !items.isEmpty()) {
                    // The files the service reads, under their own names.
                    assertThat(items).as(service + " tls items").extracting(KeyToPath::getKey)
                            .contains("tls.crt", "tls.key");
                    items.forEach(i -> assertThat(i.getPath()).as(service + " tls item").isEqualTo(i.getKey()));
                }
                for (Container c : pod.getContainers()) {
                    List<VolumeMount> mounts = c.getVolumeMounts().stream()
                            .filter(m -> m.getName().equals(volume.getName())).toList();
                    assertThat(mounts).as(service + "/" + c.getName() + " mounts " + volume.getName())
                            .singleElement().satisfies(m -> {
                                assertThat(m.getMountPath()).isEqualTo(TLS_DIRECTORY);
                                assertThat(m.getReadOnly()).as("read-only").isTrue();
                                // A subPath mount would never see the renewed certificate.
                                assertThat(m.getSubPath()).as("subPath").isNull();
                            });
                }
            });
        }
    }

    @Test
    void theKubeletProbesOverHttps() {
        deployments.forEach((name, deployment) -> {
            for (Container c : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                String what = name + "/" + c.getName();
                for (Probe probe : new Probe[] {c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()}) {
                    assertThat(probe).as(what + " probe").isNotNull();
                    assertThat(probe.getHttpGet()).as(what + " probe").isNotNull();
                    assertThat(probe.getHttpGet().getScheme()).as(what + " " + probe.getHttpGet().getPath())
                            .isEqualTo("HTTPS");
                }
            }
        });
    }

    @Test
    void prometheusScrapesOverVerifiedHttps() {
        List<Manifests.Doc> monitors = Manifests.documents(SERVICE_MONITORS);
        assertThat(monitors).extracting(Manifests.Doc::name).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
        for (Manifests.Doc monitor : monitors) {
            String service = monitor.name();
            JsonNode endpoints = monitor.tree().path("spec").path("endpoints");
            assertThat(endpoints.size()).as(monitor.toString()).isPositive();
            for (JsonNode endpoint : endpoints) {
                String what = monitor + " " + endpoint.path("port").asText();
                assertThat(endpoint.path("scheme").asText()).as(what + " scheme").isEqualTo("https");
                JsonNode tls = endpoint.path("tlsConfig");
                // No insecureSkipVerify, no client certificate: the CA, the name to verify, TLS 1.3.
                assertThat(fields(tls)).as(what + " tlsConfig").containsExactlyInAnyOrder("ca", "serverName",
                        "minVersion");
                assertThat(tls.path("minVersion").asText()).as(what + " minVersion").isEqualTo("TLS13");
                assertThat(fields(tls.path("ca"))).as(what + " ca").containsExactly("secret");
                assertThat(tls.path("ca").path("secret").path("name").asText()).as(what + " CA Secret")
                        .isEqualTo(service + "-tls");
                assertThat(tls.path("ca").path("secret").path("key").asText()).as(what + " CA key")
                        .isEqualTo("ca.crt");
                // The name Prometheus verifies is one the certificate carries (it dials the pod's address).
                assertThat(certificates(service + "-tls")).as(what + " Certificate").singleElement()
                        .satisfies(c -> assertThat(texts(c.tree().path("spec").path("dnsNames")))
                                .contains(tls.path("serverName").asText()));
            }
        }
    }

    @Test
    void nothingInDeployCallsAServiceOverPlainHttp() throws IOException {
        Pattern plain = Pattern.compile("http://(" + String.join("|", Repo.SERVICES.stream().map(Pattern::quote)
                .toList()) + ")(?![\\w-])");
        List<String> calls = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repo.DEPLOY)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                Matcher m = plain.matcher(Repo.read(file));
                while (m.find()) {
                    calls.add(Repo.ROOT.relativize(file) + ": " + m.group());
                }
            }
        }
        assertThat(calls).isEmpty();
    }

    /** The Service's names in the cluster: short, with the namespace, and fully qualified. */
    private static List<String> serviceNames(String service) {
        return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
                service + "." + namespace + ".svc.cluster.local");
    }

    private static List<Manifests.Doc> certificates(String secretName) {
        return docs.stream().filter(d -> d.kind().equals("Certificate"))
                .filter(d -> d.tree().path("spec").path("secretName").asText().equals(secretName)).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
