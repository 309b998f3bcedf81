package dev.meridian.testkit.quarkus;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The management interface of the application a {@code @QuarkusTest} runs: the services serve {@code /q/health} and
 * {@code /q/metrics} there ({@code quarkus.management.enabled=true}), on a port of their own, not on the API port that
 * RestAssured's defaults point at.
 *
 * <pre>{@code
 * Management.given().get("/q/health/ready").then().statusCode(200);
 * }</pre>
 *
 * The services' tests bind it to a free port ({@code quarkus.management.test-port=0}). Quarkus publishes the port it
 * bound under that same key in the running application's configuration, as it does for {@code quarkus.http.test-port}
 * (where RestAssured's own port comes from); this reads it on every call, so a restarted application's new port is
 * used.
 */
public final class Management {

    private Management() {
    }

    /** The port the running application's management interface listens on. */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** A request to the management interface; it needs no credentials. */
    public static RequestSpecification given() {
        return RestAssured.given().baseUri("http://localhost").port(port()).basePath("");
    }
}
