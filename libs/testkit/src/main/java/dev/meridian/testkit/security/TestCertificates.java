package dev.meridian.testkit.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.EnumSet;
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
 * key store (server key and chain) for the server, the trust store (the CA alone) for its clients. Servers built on
 * OpenSSL (PostgreSQL) take the same material as PEM files instead: {@link #loopbackServerPem(Path)}.
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

    /**
     * What {@link #loopbackServerPem(Path)} wrote, as an OpenSSL-based server and libpq-style clients read it: the CA
     * certificate (what clients trust), the server certificate and its unencrypted PKCS#8 key, readable by its owner
     * only. No password: nothing else can read the key, and PostgreSQL would have to be given one at start.
     */
    public record PemFiles(Path caCertificate, Path serverCertificate, Path serverKey, X509Certificate ca,
                           X509Certificate server) {

        public static final String CA_CERTIFICATE = "ca.crt";
        public static final String SERVER_CERTIFICATE = "server.crt";
        public static final String SERVER_KEY = "server.key";

        @Override
        public String toString() {
            // Paths and names only: the records' default would print both certificates in full.
            return "PemFiles[caCertificate=" + caCertificate + ", serverCertificate=" + serverCertificate
                    + ", serverKey=" + serverKey + ", server=" + server.getSubjectX500Principal() + "]";
        }
    }

    /** A CA and the loopback server certificate it signed, with the server's key; not yet written anywhere. */
    private record Loopback(X509Certificate ca, KeyPair serverKeys, X509Certificate server) {
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
            Loopback issued = issueLoopback();
            X509Certificate caCertificate = issued.ca();
            X509Certificate serverCertificate = issued.server();

            String password = password();
            Files.createDirectories(directory);
            Path keyStore = directory.resolve("server.keystore.p12");
            Path trustStore = directory.resolve("truststore.p12");
            KeyStore keys = emptyStore();
            keys.setKeyEntry("server", issued.serverKeys().getPrivate(), password.toCharArray(),
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

    /**
     * A fresh CA and a server certificate for {@code localhost} and {@code 127.0.0.1} signed by it, written to
     * {@code directory} as PEM: {@value PemFiles#CA_CERTIFICATE}, {@value PemFiles#SERVER_CERTIFICATE} and
     * {@value PemFiles#SERVER_KEY} (PKCS#8, mode 0600 where the file system has POSIX permissions, as PostgreSQL
     * demands of a key it is to load). Existing files of those names are replaced.
     */
    public static PemFiles loopbackServerPem(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            Loopback issued = issueLoopback();
            Files.createDirectories(directory);
            Path ca = directory.resolve(PemFiles.CA_CERTIFICATE);
            Path server = directory.resolve(PemFiles.SERVER_CERTIFICATE);
            Path key = directory.resolve(PemFiles.SERVER_KEY);
            Files.writeString(ca, pem("CERTIFICATE", issued.ca().getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(server, pem("CERTIFICATE", issued.server().getEncoded()), StandardCharsets.US_ASCII);
            // The JDK encodes private keys as PKCS#8, which OpenSSL reads as "PRIVATE KEY".
            writeOwnerOnly(key, pem("PRIVATE KEY", issued.serverKeys().getPrivate().getEncoded()));
            return new PemFiles(ca, server, key, issued.ca(), issued.server());
        } catch (CertIOException e) {
            throw new IllegalStateException("could not make test certificates", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write test certificates to " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not make test certificates", e);
        }
    }

    /** Both file formats come from here, so a PKCS12 server and a PEM server get the same kind of certificate. */
    private static Loopback issueLoopback()
            throws CertIOException, GeneralSecurityException, OperatorCreationException {
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
        return new Loopback(caCertificate, serverKeys, serverCertificate);
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

    private static String pem(String type, byte[] der) {
        Base64.Encoder lines = Base64.getMimeEncoder(64, new byte[] {'\n'});
        return "-----BEGIN " + type + "-----\n" + lines.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /**
     * Created with owner-only permissions rather than restricted after writing, so the key is never readable by others,
     * not even for a moment; a file left by an earlier call is replaced, since its mode may be wider.
     */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private static void write(KeyStore store, Path file, String password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }
}
