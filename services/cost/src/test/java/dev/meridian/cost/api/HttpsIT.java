package dev.meridian.cost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.testkit.quarkus.HttpsTestResource;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The production HTTPS of every service (libs/service-support's {@code %prod} settings, a certificate made at test
 * time): the API and the management interface answer over TLS 1.3 with a certificate the CA vouches for; a client that
 * speaks at most TLS 1.2, or plain HTTP, gets no answer at all.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HttpsTestResource.class)
class HttpsIT {

    @Test
    void apiAndManagementAnswerOverTls13() throws Exception {
        HttpResponse<String> api = client("TLSv1.3").send(get(apiUri("/q/openapi")), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.sslSession()).map(SSLSession::getProtocol).hasValue("TLSv1.3");
        // A door still wants its token; TLS changes the road, not who may pass.
        assertThat(client("TLSv1.3").send(get(apiUri("/v1/budgets")), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(401);

        HttpResponse<String> live = client("TLSv1.3").send(get(URI.create("https://localhost:" + Management.port()
                + "/q/health/live")), HttpResponse.BodyHandlers.ofString());
        assertThat(live.sslSession()).map(SSLSession::getProtocol).hasValue("TLSv1.3");
        assertThat(live.body()).contains("\"status\"");
    }

    @Test
    void aTls12OnlyClientIsRefusedOnBothPorts() {
        assertThatThrownBy(() -> client("TLSv1.2").send(get(apiUri("/q/openapi")), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> client("TLSv1.2").send(get(URI.create("https://localhost:" + Management.port()
                + "/q/health/live")), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpGetsNoAnswer() {
        URI plain = URI.create("http://localhost:" + apiPort() + "/q/openapi");
        assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IOException.class);
    }

    private static int apiPort() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
    }

    private static URI apiUri(String path) {
        return URI.create("https://localhost:" + apiPort() + path);
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
    }

    /** A client that trusts this run's CA only, verifies the host name, and offers exactly {@code protocol}. */
    private static HttpClient client(String protocol) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        Path ca = Path.of(ConfigProvider.getConfig().getValue(HttpsTestResource.CA_CERTIFICATE, String.class));
        try (InputStream in = Files.newInputStream(ca)) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {protocol});
        return HttpClient.newBuilder().sslContext(context).sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }
}
