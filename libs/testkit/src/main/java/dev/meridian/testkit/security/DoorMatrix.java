package dev.meridian.testkit.security;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.assertj.core.api.SoftAssertions;

/**
 * Who may pass every door of a running service, generated: each door (method and path as the service's own OpenAPI
 * document lists them) × every role (and one unknown) × a token for the door's region, for another region and for
 * every region × every kind of refused token. A door the document lists without a rule here fails the matrix, so a
 * new endpoint cannot ship without saying who may use it.
 *
 * <p>Per door a rule names the roles that may pass, how a request names a region ({@link Scope}) and how to send one
 * for region {@code r}. What the matrix asserts for a caller of a permitted role whose token names only another
 * region depends on the scope: {@link Scope#NAMED} 403 problem+json; {@link Scope#BY_ID} 404, exactly as for an id
 * that does not exist; {@link Scope#FILTERED} and {@link Scope#PER_ITEM} the door's success status, and in every case
 * the response never contains the {@code secret} of the region: a text only that region's data holds. A
 * {@link Scope#PUBLIC} door ({@link #publicDoor}) answers everyone, with or without a token, of any role and region.
 */
public final class DoorMatrix {

    /** How a door's request concerns a region, and so what a caller of another region gets. */
    public enum Scope {
        /** The request names the region (path or query): another region's caller is refused, 403. */
        NAMED,
        /** The request names an id of the region's data: to another region's caller it is unknown, 404. */
        BY_ID,
        /** A list: another region's caller gets the door's success, without the region's data. */
        FILTERED,
        /** A write of items: another region's caller gets the door's success, each item of the region refused. */
        PER_ITEM,
        /**
         * Open to anyone ({@code @PermitAll}), no region's data: the door's success without a token and for every
         * role, known or not, of any region. A token that is not valid is still refused (401), here as at every door:
         * Quarkus authenticates each request that carries credentials before it chooses the door (proactive
         * authentication), so a bad token is never taken for no token.
         */
        PUBLIC
    }

    /**
     * One door's rule.
     *
     * @param door    {@code METHOD /path} with the path as the OpenAPI document writes it ({@code /v1/x/{id}})
     * @param roles   the roles that may pass (every role for a {@link Scope#PUBLIC} door)
     * @param ok      the status a permitted caller of the region gets
     * @param secret  a text only the region's data contains (a node id, a pool name), never in another region's
     *                answer; null when the door answers with no data. For a {@link Scope#PUBLIC} door, a text its
     *                answer holds for everyone
     * @param request sends the request for {@code region}'s data with the given caller
     */
    public record Rule(String door, Set<String> roles, Scope scope, int ok, String secret,
            BiFunction<RequestSpecification, String, Response> request) {
    }

    /** Every role of Meridian's identity model (the services' {@code Roles.ALL}; their tests check the two agree). */
    public static final Set<String> ROLES = Set.of("viewer", "operator", "auditor", "admin", "agent",
            "termination-handler");
    private static final String UNKNOWN_ROLE = "guest";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final String region;
    private final String otherRegion;
    private int requests;

    /**
     * @param region      the region whose data the rules' requests ask for
     * @param otherRegion a region whose callers must see none of it
     */
    public DoorMatrix(String region, String otherRegion) {
        this.region = region;
        this.otherRegion = otherRegion;
    }

    public DoorMatrix rule(String door, Set<String> roles, Scope scope, int ok, String secret,
            BiFunction<RequestSpecification, String, Response> request) {
        if (rules.put(door, new Rule(door, Set.copyOf(roles), scope, ok, secret, request)) != null) {
            throw new IllegalArgumentException("two rules for " + door);
        }
        return this;
    }

    /** A door open to anyone, {@link Scope#PUBLIC}: {@code secret} is what its answer holds for every caller. */
    public DoorMatrix publicDoor(String door, int ok, String secret,
            BiFunction<RequestSpecification, String, Response> request) {
        return rule(door, ROLES, Scope.PUBLIC, ok, secret, request);
    }

    /** The doors of the running service's OpenAPI document ({@code /q/openapi}, which needs no token). */
    public static Set<String> documentedDoors() {
        String document = given().accept("application/json").queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString();
        Set<String> doors = new TreeSet<>();
        try {
            JSON.readTree(document).path("paths").fields().forEachRemaining(path ->
                    path.getValue().fieldNames().forEachRemaining(method -> {
                        if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
                            doors.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                        }
                    }));
        } catch (IOException e) {
            throw new IllegalStateException("the OpenAPI document is not JSON", e);
        }
        return doors;
    }

    /** Runs the whole matrix; every failed cell is reported, not only the first. Returns the requests sent. */
    public int assertAll() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(rules.keySet()).as("a rule for every door the service documents, and no other")
                .containsExactlyInAnyOrderElementsOf(documentedDoors());
        for (Rule rule : rules.values()) {
            assertDoor(softly, rule);
        }
        softly.assertAll();
        return requests;
    }

    private void assertDoor(SoftAssertions softly, Rule rule) {
        boolean open = rule.scope() == Scope.PUBLIC;
        if (open) {
            expectOk(softly, rule, "anyone without a token", given());
        } else {
            expect(softly, rule, "without a token", given(), 401);
        }
        TestTokens.refused(Callers.user("any"), rule.roles().iterator().next(), List.of("*")).forEach((why, token) ->
                expect(softly, rule, "with a token: " + why, Callers.bearer(token), 401));
        List<String> roles = new ArrayList<>(new TreeSet<>(ROLES));
        roles.add(UNKNOWN_ROLE);
        for (String role : roles) {
            if (open) {
                expectOk(softly, rule, role + " of " + region, Callers.as(role, region));
                expectOk(softly, rule, role + " of " + otherRegion, Callers.as(role, otherRegion));
                continue;
            }
            if (!rule.roles().contains(role)) {
                Response refused = send(rule, Callers.as(role, region));
                softly.assertThat(refused.statusCode()).as(cell(rule, role, region)).isEqualTo(403);
                softly.assertThat(refused.contentType()).as(cell(rule, role, region) + ": problem+json")
                        .startsWith("application/problem+json");
                continue;
            }
            expectOk(softly, rule, role + " of " + region, Callers.as(role, region));
            expectOk(softly, rule, role + " of every region", Callers.everywhere(role));
            expectOk(softly, rule, role + " of " + region + " (ES256)", Callers.bearer(
                    TestTokens.es256Token(Callers.user(role), role, List.of(region))));
            Response foreign = send(rule, Callers.as(role, otherRegion));
            String label = cell(rule, role, otherRegion);
            switch (rule.scope()) {
                case NAMED -> softly.assertThat(foreign.statusCode()).as(label).isEqualTo(403);
                case BY_ID -> softly.assertThat(foreign.statusCode()).as(label).isEqualTo(404);
                case FILTERED, PER_ITEM -> softly.assertThat(foreign.statusCode()).as(label).isEqualTo(rule.ok());
            }
            if (rule.secret() != null) {
                softly.assertThat(foreign.asString()).as(label + ": none of " + region + "'s data")
                        .doesNotContain(rule.secret());
            }
        }
    }

    private void expectOk(SoftAssertions softly, Rule rule, String who, RequestSpecification caller) {
        Response response = send(rule, caller);
        softly.assertThat(response.statusCode()).as(rule.door() + " as " + who + ": " + abbreviated(response))
                .isEqualTo(rule.ok());
        if (rule.secret() != null && rule.scope() != Scope.PER_ITEM) {
            String shown = rule.scope() == Scope.PUBLIC ? "its answer" : region + "'s data";
            softly.assertThat(response.asString()).as(rule.door() + " as " + who + " shows " + shown)
                    .contains(rule.secret());
        }
    }

    private void expect(SoftAssertions softly, Rule rule, String who, RequestSpecification caller, int status) {
        Response response = send(rule, caller);
        softly.assertThat(response.statusCode()).as(rule.door() + " " + who).isEqualTo(status);
        if (rule.secret() != null) {
            softly.assertThat(response.asString()).as(rule.door() + " " + who + ": no data")
                    .doesNotContain(rule.secret());
        }
    }

    private Response send(Rule rule, RequestSpecification caller) {
        requests++;
        return rule.request().apply(caller, region);
    }

    private static String cell(Rule rule, String role, String tokenRegion) {
        return rule.door() + " as " + role + " of " + tokenRegion;
    }

    private static String abbreviated(Response response) {
        String body = response.asString();
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
