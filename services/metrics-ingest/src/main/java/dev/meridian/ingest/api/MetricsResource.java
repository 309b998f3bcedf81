package dev.meridian.ingest.api;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.IntakeReport;
import dev.meridian.ingest.intake.RegionPermit;
import dev.meridian.ingest.intake.SampleIntake;
import dev.meridian.service.problem.Problem;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The HTTP door for node agents. Blocking on purpose: it answers only after the broker acknowledged. Who may call:
 * {@code agent} and {@code admin}, each sample only for a region of the token (else the item is rejected with
 * {@value RegionPermit#RULE}).
 */
@Path("/v1/metrics")
@Tag(name = "ingest")
@SecurityRequirement(name = "jwt")
public class MetricsResource {

    public static final String NDJSON = "application/x-ndjson";

    private final SampleIntake intake;
    private final RegionRefusals refusals;
    private final long maxBodyBytes;
    private final int maxItems;

    MetricsResource(SampleIntake intake, RegionRefusals refusals, IngestConfig config) {
        this.intake = intake;
        this.refusals = refusals;
        this.maxBodyBytes = config.http().maxBodySize().asLongValue();
        this.maxItems = config.http().maxItemsPerRequest();
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @RolesAllowed({Roles.AGENT, Roles.ADMIN})
    @Operation(summary = "Submit NodeMetric samples",
            description = "A JSON array (or one object), or NDJSON. Valid samples go to meridian.metrics.raw.v1, "
                    + "invalid ones (and those of a region the token does not name: region-not-permitted) to "
                    + "meridian.metrics.dlq.v1 (one record each, at most meridian.ingest.http."
                    + "max-dead-letters-per-request per request, then one summary record with rule dead-letter-cap) "
                    + "and the error list. Answers after Kafka acknowledged.")
    @APIResponse(responseCode = "202", description = "Exact counts of accepted and rejected items; the errors of the "
            + "first meridian.ingest.http.max-listed-errors (default 100) rejected items, errorsOmitted the rest",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeReport.class)))
    @APIResponse(responseCode = "400", description = "The body cannot be parsed at all",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No token, or one that is expired, unsigned or not for Meridian")
    @APIResponse(responseCode = "403", description = "The token's role is neither agent nor admin")
    @APIResponse(responseCode = "413", description = "The body (its Content-Length, or what arrived of a chunked one) "
            + "exceeds meridian.ingest.http.max-body-size, or it holds more than "
            + "meridian.ingest.http.max-items-per-request items (problem type request-over-limit)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge; retry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) MediaType contentType, InputStream body) {
        byte[] limited = Bodies.read(body, maxBodyBytes);
        boolean ndjson = contentType != null && contentType.isCompatible(MediaType.valueOf(NDJSON));
        RegionPermit permit = refusals.permit();
        IntakeReport report = intake.samples(ndjson ? BatchBody.ndjson(limited, maxItems)
                : BatchBody.json(limited, maxItems), permit);
        refusals.report(permit, "POST /v1/metrics");
        return Response.accepted(report).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
