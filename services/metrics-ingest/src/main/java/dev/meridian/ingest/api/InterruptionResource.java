package dev.meridian.ingest.api;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.ingest.intake.IntakeReport;
import dev.meridian.ingest.intake.RegionPermit;
import dev.meridian.ingest.intake.SampleIntake;
import dev.meridian.service.problem.Problem;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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
 * Spot interruption notices from node-termination handlers. Who may call: {@code termination-handler} and
 * {@code admin}, each notice only for a region of the token (else the item is rejected with
 * {@value RegionPermit#RULE}). A notice's {@code source} is what the body says, not the caller: it names the
 * provider's feed, and nothing here takes it for who called.
 */
@Path("/v1/interruptions")
@Tag(name = "ingest")
@SecurityRequirement(name = "jwt")
public class InterruptionResource {

    private final SampleIntake intake;
    private final Caller caller;
    private final RegionRefusals refusals;
    private final long maxBodyBytes;
    private final int maxItems;

    InterruptionResource(SampleIntake intake, Caller caller, RegionRefusals refusals, IngestConfig config) {
        this.intake = intake;
        this.caller = caller;
        this.refusals = refusals;
        this.maxBodyBytes = config.http().maxBodySize().asLongValue();
        this.maxItems = config.http().maxItemsPerRequest();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @RolesAllowed({Roles.TERMINATION_HANDLER, Roles.ADMIN})
    @Operation(summary = "Submit spot interruption notices",
            description = "One Interruption or an array. Valid notices go to meridian.fleet.interruptions.v1 keyed "
                    + "by nodeId; invalid ones (and those of a region the token does not name: region-not-permitted) "
                    + "are listed in the errors; a valid notice of another region is also dead-lettered (at most "
                    + "meridian.ingest.http.max-dead-letters-per-request per request). Answers after Kafka "
                    + "acknowledged.")
    @APIResponse(responseCode = "202", description = "Exact counts of accepted and rejected items; the errors of the "
            + "first meridian.ingest.http.max-listed-errors (default 100) rejected items, errorsOmitted the rest",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeReport.class)))
    @APIResponse(responseCode = "400", description = "The body cannot be parsed at all",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No token, or one that is expired, unsigned or not for Meridian")
    @APIResponse(responseCode = "403", description = "The token's role is neither termination-handler nor admin")
    @APIResponse(responseCode = "413", description = "The body (its Content-Length, or what arrived of a chunked one) "
            + "exceeds meridian.ingest.http.max-body-size, or it holds more than "
            + "meridian.ingest.http.max-items-per-request items (problem type request-over-limit)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge; retry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(InputStream body) {
        RegionPermit permit = refusals.permit();
        IntakeReport report = intake.interruptions(BatchBody.json(Bodies.read(body, maxBodyBytes), maxItems), permit,
                AuthContext.user(caller.name()));
        refusals.report(permit, "POST /v1/interruptions");
        return Response.accepted(report).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
