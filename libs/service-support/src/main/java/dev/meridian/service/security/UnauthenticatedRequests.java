package dev.meridian.service.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Reports every 401 of the API port to {@link AccessAudit}, whichever layer answered it: the token check that runs
 * before any resource (a bad, expired or foreign token) and the role check of a resource (no token at all). 403s are
 * reported where they are decided ({@code problem.CommonProblems}), which knows the principal and the region.
 */
@ApplicationScoped
public class UnauthenticatedRequests {

    /** Before Quarkus' own handlers, so the report also sees the requests those end. */
    private static final int PRIORITY = 10_000;

    void register(@Observes Filters filters, AccessAudit audit) {
        filters.register(request -> {
            request.addHeadersEndHandler(ignored -> {
                if (request.response().getStatusCode() == 401) {
                    audit.unauthenticated(request.request().method() + " " + request.normalizedPath(), peer(request));
                }
            });
            request.next();
        }, PRIORITY);
    }

    private static String peer(RoutingContext request) {
        SocketAddress address = request.request().remoteAddress();
        return address == null ? null : address.hostAddress();
    }
}
