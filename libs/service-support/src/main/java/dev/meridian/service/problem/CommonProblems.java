package dev.meridian.service.problem;

import dev.meridian.service.security.AccessAudit;
import dev.meridian.service.security.RegionRefusedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.security.Principal;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The errors every service answers alike, as {@code application/problem+json}: a bad parameter, and JAX-RS' own
 * errors (400, 403, 404, 405, 415, 503). Each service maps only its own exceptions in its {@code api.ProblemMapper}.
 * Registered in every service with a REST API by Quarkus' index of this jar.
 */
public class CommonProblems {

    private final AccessAudit audit;

    CommonProblems(AccessAudit audit) {
        this.audit = audit;
    }

    /** A bad query or path parameter: {@link Problem#INVALID_PARAMETER}, whichever service it reaches. */
    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }

    /**
     * A valid token whose roles do not open this door: 403, said in the same shape as every other refusal, and
     * reported in this service's region.
     */
    @ServerExceptionMapper
    public Response roleRefused(io.quarkus.security.ForbiddenException e, ContainerRequestContext request) {
        audit.refused(principal(request), null, door(request), "role");
        return Problem.of(Problem.BLANK, "Forbidden", 403, "the token's roles do not allow this request",
                request.getUriInfo()).toResponse();
    }

    /** A request naming a region outside the token: 403, reported in the region it named. */
    @ServerExceptionMapper
    public Response regionRefused(RegionRefusedException e, ContainerRequestContext request) {
        audit.refused(principal(request), e.region(), door(request), "region");
        return Problem.of(e, request.getUriInfo()).toResponse();
    }

    private static String principal(ContainerRequestContext request) {
        Principal principal = request.getSecurityContext().getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    private static String door(ContainerRequestContext request) {
        return request.getMethod() + " /" + request.getUriInfo().getPath().replaceFirst("^/", "");
    }
}
