package dev.meridian.testkit.security;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.List;

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

    /** The name in a token of {@code role} made here. */
    public static String user(String role) {
        return "t-" + role;
    }
}
