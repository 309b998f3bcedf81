package dev.meridian.testkit.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway TLS material made at test time, so no key is ever committed: a CA that exists only for this run and a
 * server certificate it signs, for the loopback names ({@code localhost}, {@code 127.0.0.1}) as subject alternative
 * names, so clients keep hostname verification on. Both are written as PKCS12 files with one random password: the
 * key store (server key and chain) for the server, the trust store (the CA alone) for its clients.
 *
 * <p>Bouncy Castle only builds the certificates; keys, signatures and key stores are the JDK's own (no provider is
 * registered). Keys are EC P-256: generated in milliseconds, and a signature scheme every TLS 1.3 stack offers.
 */
public final class TestCertificates {

    /** What {@link #loopbackServer(Path)} wrote. Key store, key and trust store share {@link #password()}. */
    public record Stores(Path keyStore, Path trustStore, String password, X509Certificate ca,
                         X509Certificate server) {

        public static final String TYPE = "PKCS12";

        @Override
        public String toString() {
            // The password stays out of logs and assertion messages.
            return "Stores[keyStore=" + keyStore + ", trustStore=" + trustStore + ", server="
                    + server.getSubjectX500Principal() + "]";
        }
    }

    /** Long enough for a sandbox left running; the material dies with the run that made it. */
    private static final Duration VALIDITY = Duration.ofDays(30);
    /** Tolerates a clock that differs a little between the writer and the reader of a certificate. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /**
     * A fresh CA and a server certificate for {@code localhost} and {@code 127.0.0.1} signed by it, written to
     * {@code directory} as {@code server.keystore.p12} and {@code truststore.p12}.
     */
    public static Stores loopbackServer(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            Instant now = Instant.now();
            Date notBefore = Date.from(now.minus(BACKDATE));
            Date notAfter = Date.from(now.plus(VALIDITY));
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

            KeyPair caKeys = ecKeyPair();
            X500Name caName = new X500Name("CN=Meridian throwaway test CA " + Long.toHexString(RANDOM.nextLong()));
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), notBefore, notAfter,
                    caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCertificate = sign(ca, caKeys.getPrivate());

            KeyPair serverKeys = ecKeyPair();
            GeneralNames loopback = new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
            X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCertificate, serial(), notBefore,
                    notAfter, new X500Name("CN=localhost"), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, loopback)
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(serverKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(caCertificate));
            X509Certificate serverCertificate = sign(server, caKeys.getPrivate());
            serverCertificate.verify(caCertificate.getPublicKey());

            String password = password();
            Files.createDirectories(directory);
            Path keyStore = directory.resolve("server.keystore.p12");
            Path trustStore = directory.resolve("truststore.p12");
            KeyStore keys = emptyStore();
            keys.setKeyEntry("server", serverKeys.getPrivate(), password.toCharArray(),
                    new Certificate[] {serverCertificate, caCertificate});
            write(keys, keyStore, password);
            KeyStore trust = emptyStore();
            trust.setCertificateEntry("ca", caCertificate);
            write(trust, trustStore, password);
            return new Stores(keyStore, trustStore, password, caCertificate, serverCertificate);
        } catch (CertIOException e) {
            throw new IllegalStateException("could not make test certificates", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write test certificates to " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not make test certificates", e);
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(Stores.TYPE);
        store.load(null, null);
        return store;
    }

    private static void write(KeyStore store, Path file, String password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }
}
