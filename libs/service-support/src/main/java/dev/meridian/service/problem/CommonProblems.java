package dev.meridian.service.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The errors every service answers alike, as {@code application/problem+json}: a bad parameter, and JAX-RS' own
 * errors (400, 403, 404, 405, 415, 503). Each service maps only its own exceptions in its {@code api.ProblemMapper}.
 * Registered in every service with a REST API by Quarkus' index of this jar.
 */
public class CommonProblems {

    /** A bad query or path parameter: {@link Problem#INVALID_PARAMETER}, whichever service it reaches. */
    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }

    /** A valid token whose roles do not open this door: 403, said in the same shape as every other refusal. */
    @ServerExceptionMapper
    public Response roleRefused(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return Problem.of(Problem.BLANK, "Forbidden", 403, "the token's roles do not allow this request", uri)
                .toResponse();
    }
}
