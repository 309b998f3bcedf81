package dev.meridian.scaler.api;

import dev.meridian.service.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * This service's own errors as {@code application/problem+json}; a bad parameter and JAX-RS' own errors are
 * answered alike in every service by {@link dev.meridian.service.problem.CommonProblems}.
 */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response refused(ActionRefusedException e, UriInfo uri) {
        ActionRefusedException.Why why = e.why();
        return Problem.of(Problem.type(why.slug), why.title, why.status, e.getMessage(), uri).toResponse();
    }
}
