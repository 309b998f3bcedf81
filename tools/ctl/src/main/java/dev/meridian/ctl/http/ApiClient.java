package dev.meridian.ctl.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.ctl.CtlException;
import dev.meridian.ctl.ExitCodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One service's REST API with the caller's bearer token: a 2xx answer comes back, anything else ends the command
 * ({@link Problems}, {@link ExitCodes}).
 */
public final class ApiClient {

    private final HttpClient http;
    private final Service service;
    private final URI base;
    private final String token;
    private final Duration timeout;

    public ApiClient(HttpClient http, Service service, URI base, String token, Duration timeout) {
        this.http = http;
        this.service = service;
        this.base = base;
        this.token = token;
        this.timeout = timeout;
    }

    /** An HTTP/1.1 client (no h2c upgrade attempts on plain http) that does not follow redirects. */
    public static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public ApiResponse get(String path, Query query) {
        return send(request(path + query.render()).GET().build());
    }

    public ApiResponse post(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, application/problem+json");
    }

    private ApiResponse send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new CtlException(ExitCodes.FAILED, "cannot reach the " + service.label() + " at " + base
                    + ": connect timed out");
        } catch (HttpTimeoutException e) {
            throw new CtlException(ExitCodes.FAILED, "the " + service.label() + " at " + base
                    + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new CtlException(ExitCodes.FAILED, "cannot reach the " + service.label() + " at " + base
                    + ": connection refused (is it running? set --" + service.label() + "-url or "
                    + service.variable() + ")");
        } catch (IOException e) {
            throw new CtlException(ExitCodes.FAILED, "cannot reach the " + service.label() + " at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(ExitCodes.FAILED, "interrupted");
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw Problems.of(service, status, response.body());
        }
        return new ApiResponse(service, status, response.body());
    }
}
