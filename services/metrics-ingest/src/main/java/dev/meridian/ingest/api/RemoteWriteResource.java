package dev.meridian.ingest.api;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.RegionPermit;
import dev.meridian.ingest.remotewrite.RemoteWriteIntake;
import dev.meridian.service.problem.Problem;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Prometheus remote_write 1.0. Prometheus retries 5xx and drops 4xx, so only a payload that can never succeed
 * gets a 4xx (undecodable, or over a size, series, samples or labels bound); bad samples inside a good payload go to
 * the DLQ and the request still succeeds. Who may call:
 * {@code agent} and {@code admin} (Prometheus sends the token, see the README); a sample of a region the token does
 * not name is one of those bad samples ({@value RegionPermit#RULE}).
 */
@Path("/api/v1/write")
@Tag(name = "ingest")
@SecurityRequirement(name = "jwt")
public class RemoteWriteResource {

    public static final String PROTOBUF = "application/x-protobuf";

    private final RemoteWriteIntake intake;
    private final RegionRefusals refusals;
    private final long maxBodyBytes;

    RemoteWriteResource(RemoteWriteIntake intake, RegionRefusals refusals, IngestConfig config) {
        this.intake = intake;
        this.refusals = refusals;
        this.maxBodyBytes = config.http().maxBodySize().asLongValue();
    }

    @POST
    @Consumes(PROTOBUF)
    @Produces(Problem.MEDIA_TYPE)
    @RolesAllowed({Roles.AGENT, Roles.ADMIN})
    @Operation(summary = "Prometheus remote_write 1.0",
            description = "Snappy block-compressed protobuf WriteRequest (Content-Encoding: snappy). DCGM, "
                    + "node_exporter and blackbox-exporter series become node readings on meridian.metrics.raw.v1 "
                    + "and LatencyProbes on meridian.latency.v1; bad samples (also those of a region the token does "
                    + "not name: region-not-permitted) go to meridian.metrics.dlq.v1, at most "
                    + "meridian.ingest.http.max-dead-letters-per-request records per request, then one summary "
                    + "(rule dead-letter-cap). Prometheus drops a request answered 4xx: it is not retried.")
    @APIResponse(responseCode = "204", description = "Everything derived from the request is acknowledged by Kafka")
    @APIResponse(responseCode = "400", description = "Not snappy, or not a WriteRequest, or a series with more labels "
            + "than meridian.ingest.remote-write.max-labels-per-series (problem type item-over-limit)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401",
            description = "No token, or one that is expired, unsigned or not for Meridian (Prometheus drops the batch)")
    @APIResponse(responseCode = "403", description = "The token's role is neither agent nor admin")
    @APIResponse(responseCode = "413", description = "Body (meridian.ingest.http.max-body-size) or decompressed "
            + "WriteRequest (remote-write.max-decompressed-size) too large, or more series or samples than "
            + "remote-write.max-series-per-request / max-samples-per-request (problem type request-over-limit)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge; Prometheus retries",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response write(InputStream body) {
        RegionPermit permit = refusals.permit();
        intake.write(Bodies.read(body, maxBodyBytes), permit);
        refusals.report(permit, "POST /api/v1/write");
        return Response.noContent().build();
    }
}
