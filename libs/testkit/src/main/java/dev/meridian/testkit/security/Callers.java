package dev.meridian.testkit.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.function.Function;

/**
 * REST calls as a caller of a role and regions, each with a token signed just now: a test class may outlive a token.
 * The caller's name is {@link #user}({@code role}).
 */
public final class Callers {

    private Callers() {
    }

    /**
     * A caller of {@code role} for {@code region} and {@code more} ({@code "*"}: every region). At least one region,
     * so a forgotten argument cannot quietly make a caller of no region.
     */
    public static RequestSpecification as(String role, String region, String... more) {
        List<String> regions = new java.util.ArrayList<>(List.of(region));
        regions.addAll(List.of(more));
        return bearer(TestTokens.token(user(role), role, regions));
    }

    /** A caller of {@code role} for every region. */
    public static RequestSpecification everywhere(String role) {
        return as(role, "*");
    }

    /** A request carrying exactly {@code token}, valid or not. */
    public static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /**
     * The door {@code call} opens only to readers ({@code viewer}, {@code operator}, {@code admin}) of
     * {@code region}: 401 without a token and with every refused kind of token, 403 problem+json for a valid token
     * of any other role, 200 for each reader of {@code region}.
     */
    public static void assertOnlyReaders(String endpoint, Function<RequestSpecification, Response> call,
            String region) {
        assertThat(call.apply(given()).statusCode()).as(endpoint + " without a token").isEqualTo(401);
        TestTokens.refused("mallory", "viewer", List.of("*")).forEach((why, token) ->
                assertThat(call.apply(bearer(token)).statusCode()).as(endpoint + " with a token: " + why)
                        .isEqualTo(401));
        for (String role : List.of("agent", "termination-handler", "auditor", "guest")) {
            Response forbidden = call.apply(everywhere(role));
            assertThat(forbidden.statusCode()).as(endpoint + " as " + role).isEqualTo(403);
            assertThat(forbidden.contentType()).as(endpoint + " as " + role).startsWith("application/problem+json");
        }
        for (String role : List.of("viewer", "operator", "admin")) {
            Response ok = call.apply(as(role, region));
            assertThat(ok.statusCode()).as(endpoint + " as " + role + " of " + region + ": " + ok.asString())
                    .isEqualTo(200);
        }
    }

    /** The name in a token of {@code role} made here. */
    public static String user(String role) {
        return "t-" + role;
    }
}
