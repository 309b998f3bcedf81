package dev.meridian.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A service that answers what the test scripted and records what it was asked, on a free loopback port: the
 * JDK's HTTP server, no framework. A route answers its scripted responses in turn, repeating the last one; an
 * unscripted route answers 599 so that a test never mistakes it for a real answer.
 */
final class StubServer implements AutoCloseable {

    /** One request as the service saw it. */
    record Request(String method, String path, String query, String authorization, String contentType, String body) {

        /** The path and, if there is one, the raw query: {@code /v1/pools?region=eu-west}. */
        String target() {
            return query == null ? path : path + "?" + query;
        }
    }

    record Response(int status, String contentType, String body) {
    }

    static {
        // The JDK server writes headers and body apart: without TCP_NODELAY, Nagle and the client's delayed ACK
        // hold every answer ~40 ms. Read once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final Map<String, Deque<Response>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    StubServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Scripts {@code METHOD path} (without query) to answer these JSON bodies in turn, with this status. */
    StubServer json(String method, String path, int status, String... bodies) {
        for (String body : bodies) {
            respond(method, path, new Response(status, "application/json", body));
        }
        return this;
    }

    /** Scripts a problem+json answer. */
    StubServer problem(String method, String path, int status, String title, String detail) {
        String body = "{\"type\":\"urn:meridian:problem:test\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"instance\":\"" + path + "\"}";
        return respond(method, path, new Response(status, "application/problem+json", body));
    }

    StubServer respond(String method, String path, Response response) {
        routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(response);
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Request onlyRequest() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests);
        }
        return requests.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Response response = next(method + " " + path);
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        if (response.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
        }
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Response next(String route) {
        Deque<Response> scripted = routes.get(route);
        if (scripted == null || scripted.isEmpty()) {
            return new Response(599, "text/plain", "not scripted: " + route);
        }
        synchronized (scripted) {
            return scripted.size() > 1 ? scripted.poll() : scripted.peek();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
