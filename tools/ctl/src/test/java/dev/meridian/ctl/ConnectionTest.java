package dev.meridian.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.ctl.Ctl.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the token and the services' URLs come from, and what an unreachable or misbehaving service does. */
class ConnectionTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private StubServer stub;

    @BeforeEach
    void start() {
        stub = new StubServer();
        stub.json("GET", "/v1/pools", 200, "[]");
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void theTokenFileWinsOverTheEnvironment() {
        Run run = Ctl.against(stub.url()).env("MERIDIAN_TOKEN", "from-env")
                .run("pools", "--token-file", Ctl.tokenFile(dir, "from-file").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stub.onlyRequest().authorization()).isEqualTo("Bearer from-file");
    }

    @Test
    void withoutATokenFileTheEnvironmentsTokenIsSent() {
        Run run = Ctl.against(stub.url()).env("MERIDIAN_TOKEN", "from-env").run("pools");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stub.onlyRequest().authorization()).isEqualTo("Bearer from-env");
    }

    @Test
    void noTokenIsDeniedBeforeAnyRequest() {
        Run run = Ctl.against(stub.url()).run("pools");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("no token: pass --token-file <file> or set MERIDIAN_TOKEN");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void anUnreadableTokenFileIsInvalidInput() {
        Run run = Ctl.against(stub.url()).run("pools", "--token-file", dir.resolve("missing.jwt").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("cannot read the token file");
    }

    @Test
    void anUnauthorizedAnswerWithoutABodyExits3() {
        stub.respond("GET", "/v1/nodes", new StubServer.Response(401, null, ""));

        Run run = Ctl.against(stub.url()).env("MERIDIAN_TOKEN", "expired").run("nodes");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("HTTP 401 from the scaler: the token was refused (missing, expired or not "
                + "signed by a trusted issuer)" + NL);
    }

    @Test
    void aServerErrorThatIsNotAProblemExits4WithItsBody() {
        stub.respond("GET", "/v1/nodes", new StubServer.Response(502, "text/html", "<h1>Bad Gateway</h1>\n"));

        Run run = Ctl.against(stub.url()).env("MERIDIAN_TOKEN", "t").run("nodes");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).isEqualTo("HTTP 502 from the scaler: <h1>Bad Gateway</h1>" + NL);
    }

    @Test
    void connectionRefusedExits4AndSaysWhere() throws IOException {
        String closed = "http://127.0.0.1:" + closedPort();

        Run run = Ctl.against(closed).env("MERIDIAN_TOKEN", "t").run("scale", "--region", "r", "--pool", "p",
                "--nodes", "1", "--for", "1h");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).startsWith("cannot reach the scaler at " + closed + ": connection refused");
    }

    @Test
    void anOptionUrlWinsOverTheEnvironmentAndWorksBeforeTheCommand() {
        Run run = Ctl.against("http://127.0.0.1:1").env("MERIDIAN_TOKEN", "t")
                .run("--scaler-url", stub.url() + "/", "-o", "JSON", "pools");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("[]" + NL);
    }

    @Test
    void eachServiceIsCalledAtItsOwnUrl() {
        try (StubServer scheduler = new StubServer()) {
            scheduler.json("GET", "/v1/weights/us-east", 200, "{\"clientRegion\":\"us-east\",\"tiers\":[]}");

            Run run = Ctl.against("http://127.0.0.1:1").env("MERIDIAN_TOKEN", "t")
                    .env("MERIDIAN_SCHEDULER_URL", scheduler.url()).run("weights", "us-east");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(scheduler.onlyRequest().target()).isEqualTo("/v1/weights/us-east");
        }
    }

    @Test
    void aUrlThatIsNotHttpIsInvalidInput() {
        Run run = Ctl.against(stub.url()).env("MERIDIAN_TOKEN", "t").run("pools", "--scaler-url", "localhost:8083");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("--scaler-url: 'localhost:8083' is not an http(s) URL");
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithASuggestion() {
        Run run = Ctl.against(stub.url()).run("scael");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Did you mean", "scale");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
