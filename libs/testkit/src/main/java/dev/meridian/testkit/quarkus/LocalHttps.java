package dev.meridian.testkit.quarkus;

import dev.meridian.testkit.security.TestCertificates;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a packaged service (the prod profile: HTTPS only, TLS 1.3, certificate files from the environment) needs to run
 * on this machine, for the sandbox and the benchmarks that start services as child JVMs: a certificate for
 * {@code localhost} made once per directory by a throwaway CA ({@link #environment}), and, unless the caller wants
 * HTTPS, the flags that put both ports back on plain HTTP ({@link #plainHttpFlags}). Quarkus loads the TLS registry's
 * certificate at start even when no listener uses it, so the files are needed either way.
 */
public final class LocalHttps {

    private static final String DIRECTORY = "tls";
    private static final String STORE_PASSWORD = "meridian-local";

    private LocalHttps() {
    }

    /**
     * {@code MERIDIAN_TLS_CERT} and {@code MERIDIAN_TLS_KEY} of a certificate in {@code dir}/tls, made on the first
     * call for that directory; its CA is {@link #caCertificate}.
     */
    public static synchronized Map<String, String> environment(Path dir) {
        Path tls = dir.resolve(DIRECTORY);
        Path ca = tls.resolve(TestCertificates.PemFiles.CA_CERTIFICATE);
        try {
            if (!Files.isRegularFile(ca)) {
                Files.createDirectories(tls);
                TestCertificates.loopbackServerPem(tls);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the local certificate in " + tls, e);
        }
        return Map.of("MERIDIAN_TLS_CERT", tls.resolve(TestCertificates.PemFiles.SERVER_CERTIFICATE).toString(),
                "MERIDIAN_TLS_KEY", tls.resolve(TestCertificates.PemFiles.SERVER_KEY).toString());
    }

    /** The CA that signed {@link #environment}'s certificate: what an HTTPS client of the local services trusts. */
    public static Path caCertificate(Path dir) {
        return dir.resolve(DIRECTORY).resolve(TestCertificates.PemFiles.CA_CERTIFICATE);
    }

    /**
     * A TLS context that trusts the CA of {@link #environment}'s certificate and nothing else: for the sandbox's own
     * HTTPS clients (readiness, live view, tests), which verify the services as any client would.
     */
    public static SSLContext sslContext(Path dir) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(dir));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not trust " + caCertificate(dir), e);
        }
    }

    /**
     * Makes this JVM's default TLS trust the CA of {@link #environment}'s certificate, and only it: for clients built
     * elsewhere that take the default (the fleet simulator's doors). Only effective before anything in the JVM has
     * asked for the default context (building any {@code HttpClient} does): call it first.
     */
    public static synchronized void trustOnly(Path dir) {
        KeyStore trust = trustStore(dir);
        Path store = dir.resolve(DIRECTORY).resolve("ca.p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            trust.store(out, STORE_PASSWORD.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + store, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not write " + store, e);
        }
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", STORE_PASSWORD);
    }

    private static KeyStore trustStore(Path dir) {
        environment(dir);
        try (InputStream in = Files.newInputStream(caCertificate(dir))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("meridian-local-ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
            return trust;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + caCertificate(dir), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build a trust store from " + caCertificate(dir), e);
        }
    }

    /** JVM flags that serve the API and the management interface over plain HTTP on their usual ports. */
    public static List<String> plainHttpFlags() {
        List<String> flags = new ArrayList<>();
        // An empty value unsets the prod profile's: no TLS configuration on either listener.
        flags.add("-Dquarkus.http.tls-configuration-name=");
        flags.add("-Dquarkus.management.tls-configuration-name=");
        flags.add("-Dquarkus.http.insecure-requests=enabled");
        return flags;
    }
}
