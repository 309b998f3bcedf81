package dev.meridian.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.ctl.Ctl.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read commands against stub services: the query they send and the table (or raw JSON) they print. */
class ReadCommandsTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private StubServer stub;
    private Ctl ctl;
    private String tokenFile;

    @BeforeEach
    void start() {
        stub = new StubServer();
        ctl = Ctl.against(stub.url());
        tokenFile = Ctl.tokenFile(dir, "t0k3n").toString();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void poolsPrintsATableOfWhatIsThereAndToleratesUnknownFields() {
        stub.json("GET", "/v1/pools", 200, """
                [{"region":"ap-southeast","pool":"gpu-a","tier":"CORE_GPU","minNodes":2,"maxNodes":16,
                  "instanceType":"p4d.24xlarge","capacityType":"ON_DEMAND","nodes":5,"paused":false,"manualSize":5,
                  "overrideUntil":"2026-12-07T10:00:00Z","somethingNew":{"x":1}},
                 {"region":"ap-southeast","pool":"cpu-edge","tier":"EDGE_CPU","minNodes":3,"maxNodes":24,
                  "instanceType":"c7i.4xlarge","capacityType":"SPOT","paused":true}]""");

        Run run = ctl.run("pools", "--region", "ap-southeast", "--token-file", tokenFile);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stub.onlyRequest().target()).isEqualTo("/v1/pools?region=ap-southeast");
        assertThat(stub.onlyRequest().authorization()).isEqualTo("Bearer t0k3n");
        assertThat(run.out()).isEqualTo("""
                REGION        POOL      TIER      NODES  MIN  MAX  INSTANCE      CAPACITY   SIZING
                ap-southeast  gpu-a     CORE_GPU  5      2    16   p4d.24xlarge  ON_DEMAND  manual 5, override until 2026-12-07T10:00:00Z
                ap-southeast  cpu-edge  EDGE_CPU  -      3    24   c7i.4xlarge   SPOT       paused
                """);
    }

    @Test
    void poolsReadsHoldsAndInstanceTypesAsObjectsAndListsToo() {
        stub.json("GET", "/v1/pools", 200, """
                [{"region":"us-east","pool":"gpu-core","tier":"CORE_GPU","minNodes":2,"maxNodes":16,"warmNodes":2,
                  "instanceTypes":["p5.48xlarge","p4d.24xlarge"],"capacityType":"ON_DEMAND","nodes":4,
                  "holds":{"scale":{"actionId":"a-1","nodes":4,"until":"2026-12-07T10:00:00Z","actor":"alice"},
                           "pause":{"actionId":"a-2","until":null,"actor":"alice"},
                           "override":{"actionId":"a-3","override":{"minNodes":3},"until":"2026-12-08T00:00:00Z",
                                       "actor":"bob"},
                           "nodes":{}}},
                 {"region":"us-east","pool":"cpu-edge","tier":"EDGE_CPU","minNodes":3,"maxNodes":24,
                  "instanceTypes":["c7i.4xlarge"],"capacityType":"SPOT","nodes":3,
                  "holds":{"scale":null,"pause":null,"override":null,"nodes":{}}}]""");

        Run run = ctl.run("pools", "--token-file", tokenFile);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                REGION   POOL      TIER      NODES  MIN  MAX  INSTANCE                  CAPACITY   SIZING
                us-east  gpu-core  CORE_GPU  4      2    16   p5.48xlarge,p4d.24xlarge  ON_DEMAND  paused, manual 4 until 2026-12-07T10:00:00Z, override until 2026-12-08T00:00:00Z
                us-east  cpu-edge  EDGE_CPU  3      3    24   c7i.4xlarge               SPOT       auto
                """);
    }

    @Test
    void jsonOutputIsTheRawAnswer() {
        String body = "[{\"region\":\"eu-west\",\"pool\":\"gpu-core\"}]";
        stub.json("GET", "/v1/pools", 200, body);

        Run run = ctl.run("--token-file", tokenFile, "-o", "json", "pools");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(body + NL);
        assertThat(stub.onlyRequest().target()).isEqualTo("/v1/pools");
    }

    @Test
    void nodesFiltersByRegionAndPool() {
        stub.json("GET", "/v1/nodes", 200, """
                [{"nodeId":"eu-west-gpu-1","region":"eu-west","pool":"gpu-core","state":"READY","cordoned":true,
                  "draining":true},
                 {"nodeId":"eu-west-gpu-2","region":"eu-west","pool":"gpu-core","state":"READY","cordoned":false,
                  "draining":false}]""");

        Run run = ctl.run("nodes", "--region", "eu-west", "--pool", "gpu-core", "--token-file", tokenFile);

        assertThat(stub.onlyRequest().target()).isEqualTo("/v1/nodes?region=eu-west&pool=gpu-core");
        assertThat(run.out()).isEqualTo("""
                NODE           REGION   POOL      STATE  FLAGS
                eu-west-gpu-1  eu-west  gpu-core  READY  cordoned,draining
                eu-west-gpu-2  eu-west  gpu-core  READY  -
                """);
    }

    @Test
    void anEmptyListSaysSo() {
        stub.json("GET", "/v1/nodes", 200, "[]");

        assertThat(ctl.run("nodes", "--token-file", tokenFile).out()).isEqualTo("no nodes" + NL);
    }

    @Test
    void actionsListsNewestFirstWithTheirOutcome() {
        stub.json("GET", "/v1/actions", 200, "[" + ActionCommandsTest.REJECTED + "," + ActionCommandsTest.APPLIED
                .replace("\"kind\":\"SCALE\"", "\"kind\":\"OVERRIDE\"").replace("\"nodes\":5,", "\"nodes\":null,")
                .replace("\"override\":null", "\"override\":{\"scaleOutUtilization\":85.0,\"minNodes\":null}")
                + "]");

        Run run = ctl.run("actions", "--region", "ap-southeast", "--pool", "gpu-a", "--limit", "2", "--token-file",
                tokenFile);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stub.onlyRequest().target()).isEqualTo("/v1/actions?region=ap-southeast&pool=gpu-a&limit=2");
        assertThat(run.out()).isEqualTo("""
                ACTION  STATUS    KIND      TARGET              WHAT                                                 ACTOR  REQUESTED             NOTE
                a-1     REJECTED  SCALE     ap-southeast/gpu-a  5 nodes until 2026-12-07T10:00:00Z                   alice  2026-12-07T08:00:00Z  rejected: 5 nodes is above the pool's maximum of 4
                a-1     APPLIED   OVERRIDE  ap-southeast/gpu-a  scaleOutUtilization=85.0 until 2026-12-07T10:00:00Z  alice  2026-12-07T08:00:00Z  launch
                """);
    }

    @Test
    void actionAndActionsGetShowOneAction() {
        stub.json("GET", "/v1/actions/a-1", 200, ActionCommandsTest.APPLIED);

        Run action = ctl.run("action", "a-1", "--token-file", tokenFile);
        Run get = ctl.run("actions", "get", "a-1", "--token-file", tokenFile);

        assertThat(action.exitCode()).as(action.err()).isZero();
        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(get.out()).isEqualTo(action.out());
        assertThat(action.out()).startsWith("action     a-1" + NL + "status     APPLIED" + NL);
        assertThat(stub.requests()).extracting(StubServer.Request::target)
                .containsExactly("/v1/actions/a-1", "/v1/actions/a-1");
    }

    @Test
    void anUnknownActionExits4() {
        stub.problem("GET", "/v1/actions/nope", 404, "Unknown action", "no action nope");

        Run run = ctl.run("action", "nope", "--token-file", tokenFile);

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).isEqualTo("Unknown action: no action nope" + NL);
    }

    @Test
    void weightsShowsEachTiersRegionsAndTheExclusions() {
        stub.json("GET", "/v1/weights/eu-west", 200, """
                {"clientRegion":"eu-west","version":6,"computedAt":"2026-12-07T07:59:30Z","heartbeat":false,
                 "tiers":[{"tier":"CORE_GPU","regions":[
                     {"region":"eu-west","weight":0.92,"eligibleNodes":4,"load":45.4,"latencyMs":1.25},
                     {"region":"eu-central","weight":0.08,"eligibleNodes":4,"load":29.0,"latencyMs":11.0}],
                   "nodes":[],"noneEligibleReason":null},
                  {"tier":"EDGE_CPU","regions":[],"nodes":[],"noneEligibleReason":"every node saturated"}],
                 "excluded":[{"scope":"REGION","target":"us-east","tier":null,"reason":"RESIDENCY",
                   "detail":"outside the EU zone"}]}""");

        Run run = ctl.run("weights", "eu-west", "--token-file", tokenFile);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stub.onlyRequest().target()).isEqualTo("/v1/weights/eu-west");
        assertThat(run.out()).isEqualTo("""
                client region eu-west, version 6, computed 2026-12-07T07:59:30Z
                TIER      REGION                               WEIGHT  ELIGIBLE  LOAD  LATENCY
                CORE_GPU  eu-west                              0.92    4         45 %  1.3 ms
                CORE_GPU  eu-central                           0.08    4         29 %  11.0 ms
                EDGE_CPU  none eligible: every node saturated  -       -         -     -

                EXCLUDED        TIER  REASON     DETAIL
                REGION us-east  -     RESIDENCY  outside the EU zone
                """);
    }

    @Test
    void costsPassesTheQueryAndPrintsAColumnPerGroupKey() {
        stub.json("GET", "/v1/costs", 200, """
                {"from":"2026-12-01T00:00:00Z","to":"2026-12-02T00:00:00Z","step":"1d","groupBy":["region","pool"],
                 "rows":[{"periodStart":"2026-12-01T00:00:00Z","period":"2026-12-01",
                          "group":{"region":"eu-west","pool":"gpu-core"},"currency":"USD","cost":"123.450000000",
                          "nodeSeconds":86400,"idleCost":"1.5","spotSavings":"0"}],
                 "totals":{"USD":"123.450000000"}}""");

        Run run = ctl.run("costs", "--from", "2026-12-01", "--to", "2026-12-02", "--group-by", "region,pool",
                "--step", "1d", "--token-file", tokenFile);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stub.onlyRequest().target())
                .isEqualTo("/v1/costs?from=2026-12-01&to=2026-12-02&groupBy=region%2Cpool&step=1d");
        assertThat(run.out()).isEqualTo("""
                PERIOD      REGION   POOL      CURRENCY  COST           NODE-HOURS  IDLE  SPOT-SAVINGS
                2026-12-01  eu-west  gpu-core  USD       123.450000000  24.00       1.5   0
                total USD 123.450000000
                """);
    }

    @Test
    void auditSearchPassesTheFiltersAndNamesTheNextPage() {
        stub.json("GET", "/v1/audit/events", 200, """
                {"items":[{"id":"e-1","kind":"RECORD","region":"ap-southeast","sequence":41,
                  "time":"2026-12-07T08:00:01Z","actor":"alice","action":"operator.scale",
                  "resource":"pool:ap-southeast/gpu-a","source":"scaler","type":"t","payload":{},
                  "previousHash":"a","hash":"b","signature":null}],
                 "nextCursor":"MjAyNi0xMi0wN1Q"}""");

        Run run = ctl.run("audit", "search", "--region", "ap-southeast", "--actor", "alice", "--action",
                "operator.scale", "--from", "2026-12-07T00:00:00Z", "--limit", "1", "--token-file", tokenFile);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stub.onlyRequest().target()).isEqualTo("/v1/audit/events?from=2026-12-07T00%3A00%3A00Z"
                + "&region=ap-southeast&actor=alice&action=operator.scale&limit=1");
        assertThat(run.out()).isEqualTo("""
                TIME                  REGION        SEQ  ACTOR  ACTION          RESOURCE
                2026-12-07T08:00:01Z  ap-southeast  41   alice  operator.scale  pool:ap-southeast/gpu-a
                more: add --cursor MjAyNi0xMi0wN1Q
                """);
    }

    @Test
    void auditAloneIsAUsageError() {
        Run run = ctl.run("audit", "--token-file", tokenFile);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand").contains("search");
        assertThat(stub.requests()).isEmpty();
    }
}
