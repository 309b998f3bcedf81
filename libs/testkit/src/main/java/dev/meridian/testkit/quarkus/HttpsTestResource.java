package dev.meridian.testkit.quarkus;

import dev.meridian.testkit.security.TestCertificates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The services' production HTTPS for a {@code @QuarkusTest}: every {@code %prod} HTTP and TLS setting of
 * {@code META-INF/microprofile-config.properties} (libs/service-support) applied as it is — TLS 1.3 only, no plain
 * listener, the API and the management interface both behind the TLS registry's {@code https} configuration — with the
 * certificate and key files swapped for ones made at start for {@code localhost} by a throwaway CA
 * (its PEM file published as {@value #CA_CERTIFICATE}). So an IT proves the settings production
 * runs, not a copy of them.
 */
public class HttpsTestResource implements QuarkusTestResourceLifecycleManager {

    /** Where the services' shared settings are, on every service's class path. */
    static final String SHARED_CONFIG = "META-INF/microprofile-config.properties";
    /** The PEM file of the CA that signed this run's certificate: what a client trusts. */
    public static final String CA_CERTIFICATE = "meridian.test.https.ca-certificate";
    private static final String PROD = "%prod.";
    private static final String KEY_STORE = "quarkus.tls.https.key-store.pem.service.";

    private Path directory;

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory("meridian-https-");
            TestCertificates.PemFiles pem = TestCertificates.loopbackServerPem(directory);
            Map<String, String> config = new HashMap<>(productionHttps());
            if (!config.containsKey(KEY_STORE + "cert") || !config.containsKey(KEY_STORE + "key")) {
                throw new IllegalStateException(SHARED_CONFIG + " has no %prod " + KEY_STORE + "cert/key any more");
            }
            config.put(KEY_STORE + "cert", pem.serverCertificate().toString());
            config.put(KEY_STORE + "key", pem.serverKey().toString());
            // The production port expression would point at quarkus.http.port; a test binds a free one.
            config.put("quarkus.http.ssl-port", "0");
            config.put("quarkus.http.test-ssl-port", "0");
            config.put(CA_CERTIFICATE, pem.caCertificate().toString());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code %prod} settings of the TLS registry, the HTTP server and the management interface's TLS. */
    static Map<String, String> productionHttps() throws IOException {
        Properties shared = new Properties();
        try (InputStream in = HttpsTestResource.class.getClassLoader().getResourceAsStream(SHARED_CONFIG)) {
            if (in == null) {
                throw new IllegalStateException("no " + SHARED_CONFIG + " on the class path (libs/service-support)");
            }
            shared.load(in);
        }
        Map<String, String> https = new HashMap<>();
        for (String key : shared.stringPropertyNames()) {
            if (!key.startsWith(PROD)) {
                continue;
            }
            String name = key.substring(PROD.length());
            if (name.startsWith("quarkus.tls.") || name.startsWith("quarkus.http.")
                    || name.equals("quarkus.management.tls-configuration-name")) {
                https.put(name, shared.getProperty(key));
            }
        }
        return https;
    }

    @Override
    public void stop() {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        directory = null;
    }
}
