package dev.meridian.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.ctl.Ctl.Run;
import dev.meridian.ctl.StubServer.Request;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action commands against a stub scaler: the request they send, what they print, how they exit. */
class ActionCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String PENDING = """
            {"actionId":"a-1","status":"PENDING","action":{"actionId":"a-1","kind":"SCALE","region":"ap-southeast",
             "pool":"gpu-a","nodeId":null,"nodes":5,"until":"2026-12-07T10:00:00Z","override":null,"actor":"alice",
             "reason":"launch","requestedAt":"2026-12-07T08:00:00Z"}}""";
    static final String APPLIED = PENDING.replace("\"status\":\"PENDING\"", "\"status\":\"APPLIED\"")
            .replace("}}", "},\"reason\":null,\"decidedAt\":\"2026-12-07T08:00:02Z\"}");
    static final String REJECTED = PENDING.replace("\"status\":\"PENDING\"", "\"status\":\"REJECTED\"")
            .replace("}}", "},\"reason\":\"5 nodes is above the pool's maximum of 4\","
                    + "\"decidedAt\":\"2026-12-07T08:00:02Z\"}");

    @TempDir
    Path dir;

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private StubServer scaler;
    private Ctl ctl;
    private String tokenFile;

    @BeforeEach
    void start() {
        scaler = new StubServer();
        ctl = Ctl.against(scaler.url());
        tokenFile = Ctl.tokenFile(dir, "token-from-file").toString();
    }

    @AfterEach
    void stop() {
        scaler.close();
    }

    @Test
    void scalePostsTheActionWithTheTokenAndPrintsTheAcceptedAction() {
        scaler.json("POST", "/v1/actions", 202, PENDING);

        Run run = ctl.run("scale", "--token-file", tokenFile, "--region", "ap-southeast", "--pool", "gpu-a",
                "--nodes", "5", "--for", "2h", "--reason", "launch");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Request request = scaler.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/v1/actions");
        assertThat(request.authorization()).isEqualTo("Bearer token-from-file");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(tree(request.body())).isEqualTo(tree("""
                {"kind":"SCALE","region":"ap-southeast","pool":"gpu-a","nodeId":null,"nodes":5,
                 "until":"2026-12-07T10:00:00Z","override":null,"reason":"launch"}"""));
        assertThat(run.out()).isEqualTo("""
                action     a-1
                status     PENDING
                kind       SCALE
                target     ap-southeast/gpu-a
                nodes      5
                until      2026-12-07T10:00:00Z
                reason     launch
                actor      alice
                requested  2026-12-07T08:00:00Z
                """);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonOutputIsTheScalersAnswerAsItCame() {
        scaler.json("POST", "/v1/actions", 202, PENDING);

        Run run = ctl.run("scale", "-o", "json", "--token-file", tokenFile, "--region", "ap-southeast", "--pool",
                "gpu-a", "--nodes", "5", "--until", "2026-12-07T10:00:00Z");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(PENDING + System.lineSeparator());
    }

    @Test
    void pauseWithoutAnEndAndResumeSendNoUntil() {
        scaler.json("POST", "/v1/actions", 202, PENDING);

        assertThat(ctl.run("pause", "--token-file", tokenFile, "--region", "eu-west", "--pool", "cpu-edge")
                .exitCode()).isZero();
        assertThat(ctl.run("pause", "--token-file", tokenFile, "--region", "eu-west", "--pool", "cpu-edge",
                "--for", "1h30m").exitCode()).isZero();
        assertThat(ctl.run("resume", "--token-file", tokenFile, "--region", "eu-west", "--pool", "cpu-edge")
                .exitCode()).isZero();

        assertThat(scaler.requests()).extracting(r -> tree(r.body())).containsExactly(
                tree("""
                        {"kind":"PAUSE","region":"eu-west","pool":"cpu-edge","nodeId":null,"nodes":null,
                         "until":null,"override":null,"reason":null}"""),
                tree("""
                        {"kind":"PAUSE","region":"eu-west","pool":"cpu-edge","nodeId":null,"nodes":null,
                         "until":"2026-12-07T09:30:00Z","override":null,"reason":null}"""),
                tree("""
                        {"kind":"RESUME","region":"eu-west","pool":"cpu-edge","nodeId":null,"nodes":null,
                         "until":null,"override":null,"reason":null}"""));
    }

    @Test
    void overrideSendsTheSettingsGivenAndNullForTheRest() {
        scaler.json("POST", "/v1/actions", 202, PENDING);

        Run run = ctl.run("override", "--token-file", tokenFile, "--region", "ap-southeast", "--pool", "gpu-a",
                "--until", "2026-12-07T10:00:00Z", "--scale-out-utilization", "85", "--scale-in", "30",
                "--sustain-windows", "3", "--min-nodes", "2", "--max-nodes", "20", "--reason", "launch");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(tree(scaler.onlyRequest().body())).isEqualTo(tree("""
                {"kind":"OVERRIDE","region":"ap-southeast","pool":"gpu-a","nodeId":null,"nodes":null,
                 "until":"2026-12-07T10:00:00Z",
                 "override":{"scaleOutUtilization":85.0,"scaleInUtilization":30.0,"targetUtilization":null,
                             "sustainWindows":3,"minNodes":2,"maxNodes":20},
                 "reason":"launch"}"""));
    }

    @Test
    void overrideWithoutASettingIsInvalidInputAndSendsNothing() {
        Run run = ctl.run("override", "--token-file", tokenFile, "--region", "ap-southeast", "--pool", "gpu-a",
                "--for", "1h");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("override needs at least one of --scale-out-utilization");
        assertThat(scaler.requests()).isEmpty();
    }

    @Test
    void nodeActionsNameTheNode() {
        scaler.json("POST", "/v1/actions", 202, PENDING);

        for (String command : new String[] {"cordon", "uncordon", "drain"}) {
            assertThat(ctl.run(command, "--token-file", tokenFile, "--region", "us-east", "--pool", "gpu-core",
                    "--node", "us-east-gpu-7").exitCode()).isZero();
        }

        assertThat(scaler.requests()).extracting(r -> tree(r.body()).get("kind").asText())
                .containsExactly("CORDON", "UNCORDON", "DRAIN");
        assertThat(scaler.requests()).extracting(r -> tree(r.body()).get("nodeId").asText())
                .containsOnly("us-east-gpu-7");
    }

    @Test
    void aScaleWithoutAnEndOrWithAnUnreadableOneIsAUsageError() {
        Run noEnd = ctl.run("scale", "--token-file", tokenFile, "--region", "r", "--pool", "p", "--nodes", "3");
        Run badEnd = ctl.run("scale", "--token-file", tokenFile, "--region", "r", "--pool", "p", "--nodes", "3",
                "--until", "tomorrow");
        Run both = ctl.run("scale", "--token-file", tokenFile, "--region", "r", "--pool", "p", "--nodes", "3",
                "--for", "1h", "--until", "2026-12-07T10:00:00Z");

        assertThat(noEnd.exitCode()).isEqualTo(2);
        assertThat(noEnd.err()).contains("--for", "--until");
        assertThat(badEnd.exitCode()).isEqualTo(2);
        assertThat(badEnd.err()).contains("'tomorrow' is not an instant like 2026-12-07T10:00:00Z");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(scaler.requests()).isEmpty();
    }

    @Test
    void badRequestPrintsTheProblemAndExits2() {
        scaler.problem("POST", "/v1/actions", 400, "Invalid action", "5 nodes is above the pool's maximum of 4");

        Run run = ctl.run("scale", "--token-file", tokenFile, "--region", "ap-southeast", "--pool", "gpu-a",
                "--nodes", "5", "--for", "2h");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Invalid action: 5 nodes is above the pool's maximum of 4"
                + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void forbiddenExits3() {
        scaler.problem("POST", "/v1/actions", 403, "Forbidden", "region ap-southeast is not one of the token's");

        Run run = ctl.run("drain", "--token-file", tokenFile, "--region", "ap-southeast", "--pool", "gpu-a",
                "--node", "n-1");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("Forbidden: region ap-southeast is not one of the token's"
                + System.lineSeparator());
    }

    @Test
    void unknownPoolExits4() {
        scaler.problem("POST", "/v1/actions", 404, "Unknown pool", "ap-southeast/gpu-z is not in the registry");

        Run run = ctl.run("pause", "--token-file", tokenFile, "--region", "ap-southeast", "--pool", "gpu-z");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("Unknown pool: ap-southeast/gpu-z is not in the registry");
    }

    @Test
    void waitPollsUntilApplied() {
        scaler.json("POST", "/v1/actions", 202, PENDING);
        scaler.json("GET", "/v1/actions/a-1", 200, PENDING, PENDING, APPLIED);

        Run run = ctl.run("scale", "--wait", "--token-file", tokenFile, "--region", "ap-southeast", "--pool",
                "gpu-a", "--nodes", "5", "--for", "2h");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(scaler.requests()).extracting(r -> r.method() + " " + r.target())
                .containsExactly("POST /v1/actions", "GET /v1/actions/a-1", "GET /v1/actions/a-1",
                        "GET /v1/actions/a-1");
        assertThat(scaler.requests()).extracting(Request::authorization).containsOnly("Bearer token-from-file");
        assertThat(run.out()).contains("status     APPLIED").contains("decided    2026-12-07T08:00:02Z");
    }

    @Test
    void waitExits4WhenTheActionIsRejected() {
        scaler.json("POST", "/v1/actions", 202, PENDING);
        scaler.json("GET", "/v1/actions/a-1", 200, REJECTED);

        Run run = ctl.run("scale", "--wait", "--token-file", tokenFile, "--region", "ap-southeast", "--pool",
                "gpu-a", "--nodes", "5", "--for", "2h");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).contains("status     REJECTED")
                .contains("rejected   5 nodes is above the pool's maximum of 4");
        assertThat(run.err()).isEqualTo("REJECTED: 5 nodes is above the pool's maximum of 4"
                + System.lineSeparator());
    }

    @Test
    void waitWithJsonPrintsTheFinalAnswer() {
        scaler.json("POST", "/v1/actions", 202, PENDING);
        scaler.json("GET", "/v1/actions/a-1", 200, REJECTED);

        Run run = ctl.run("scale", "--wait", "-o", "json", "--token-file", tokenFile, "--region", "ap-southeast",
                "--pool", "gpu-a", "--nodes", "5", "--for", "2h");

        assertThat(run.exitCode()).isEqualTo(4);
        JsonNode printed = tree(run.out());
        assertThat(printed.get("status").asText()).isEqualTo("REJECTED");
    }

    @Test
    void waitGivesUpOnAnActionStillPending() {
        scaler.json("POST", "/v1/actions", 202, PENDING);
        scaler.json("GET", "/v1/actions/a-1", 200, PENDING);

        Run run = ctl.run("resume", "--wait", "--wait-timeout", "50ms", "--token-file", tokenFile, "--region",
                "ap-southeast", "--pool", "gpu-a");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("still PENDING").contains("meridian ctl action a-1");
    }
}
