package dev.meridian.audit.api;

import dev.meridian.audit.messaging.AuditUnavailableException;
import dev.meridian.service.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.sql.SQLException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * This service's own errors as {@code application/problem+json}; a bad parameter and JAX-RS' own errors are
 * answered alike in every service by {@link dev.meridian.service.problem.CommonProblems}.
 */
public class ProblemMapper {

    /** Problem types of the audit service, documented in the service README. */
    public static final URI NOT_FOUND = Problem.type("audit-entry-not-found");
    public static final URI UNAVAILABLE = Problem.type("audit-unavailable");
    public static final URI EXPORT_TOO_LARGE = Problem.type("audit-export-too-large");
    public static final URI EXPORT_BUSY = Problem.type("audit-export-busy");
    public static final URI PROOF_PENDING = Problem.type("audit-proof-pending");

    @ServerExceptionMapper
    public Response exportRefused(ExportRefusedException e, UriInfo uri) {
        if (e.status() == 429) {
            return Response.fromResponse(Problem.of(EXPORT_BUSY, "Too many exports at once", 429, e.getMessage(), uri)
                    .toResponse()).header("Retry-After", "10").build();
        }
        return Problem.of(EXPORT_TOO_LARGE, "Export too large", 400, e.getMessage(), uri).toResponse();
    }

    @ServerExceptionMapper
    public Response proofPending(ProofPendingException e, UriInfo uri) {
        return Problem.of(PROOF_PENDING, "Not yet in a signed digest", 409, e.getMessage(), uri).toResponse();
    }


    @ServerExceptionMapper
    public Response notFound(EntryNotFoundException e, UriInfo uri) {
        return Problem.of(NOT_FOUND, "No such audit entry", 404, e.getMessage(), uri).toResponse();
    }

    @ServerExceptionMapper
    public Response unavailable(AuditUnavailableException e, UriInfo uri) {
        return Problem.of(UNAVAILABLE, "Audit unavailable", 503, e.getMessage(), uri).toResponse();
    }

    @ServerExceptionMapper
    public Response database(SQLException e, UriInfo uri) {
        return Problem.of(UNAVAILABLE, "Audit store unavailable", 503, "the audit store could not be read", uri)
                .toResponse();
    }
}
