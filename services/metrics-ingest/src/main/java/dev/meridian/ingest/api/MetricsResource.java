package dev.meridian.ingest.api;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.IntakeReport;
import dev.meridian.ingest.intake.SampleIntake;
import dev.meridian.service.problem.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The HTTP door for node agents. Blocking on purpose: it answers only after the broker acknowledged. */
@Path("/v1/metrics")
@Tag(name = "ingest")
public class MetricsResource {

    public static final String NDJSON = "application/x-ndjson";

    private final SampleIntake intake;
    private final long maxBodyBytes;

    MetricsResource(SampleIntake intake, IngestConfig config) {
        this.intake = intake;
        this.maxBodyBytes = config.http().maxBodySize().asLongValue();
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Submit NodeMetric samples",
            description = "A JSON array (or one object), or NDJSON. Valid samples go to meridian.metrics.node.v1, "
                    + "invalid ones to meridian.metrics.dlq.v1 and the error list. Answers after Kafka acknowledged.")
    @APIResponse(responseCode = "202", description = "Counts and per-item errors",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeReport.class)))
    @APIResponse(responseCode = "400", description = "The body cannot be parsed at all",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body exceeds meridian.ingest.http.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge; retry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) MediaType contentType, byte[] body) {
        byte[] limited = Bodies.limited(body, maxBodyBytes);
        boolean ndjson = contentType != null && contentType.isCompatible(MediaType.valueOf(NDJSON));
        IntakeReport report = intake.samples(ndjson ? BatchBody.ndjson(limited) : BatchBody.json(limited));
        return Response.accepted(report).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
