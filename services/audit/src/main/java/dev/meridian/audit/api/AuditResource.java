package dev.meridian.audit.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.audit.config.AuditConfig;
import dev.meridian.audit.messaging.OperationPublisher;
import dev.meridian.service.security.Caller;
import dev.meridian.service.security.Roles;
import dev.meridian.audit.store.ChainVerifier;
import dev.meridian.audit.store.Cursor;
import dev.meridian.audit.store.EventFilter;
import dev.meridian.audit.store.EventStore;
import dev.meridian.audit.store.InclusionProof;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.service.problem.InvalidParameterException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Search, fetch, export and verify the audit trail. Every call is itself recorded (who, which filters) before it is
 * answered; a caller sees only the regions of its {@code regions} claim.
 */
@Path("/v1/audit")
@Tag(name = "audit")
@SecurityRequirement(name = "jwt")
public class AuditResource {

    private final EventStore events;
    private final ChainVerifier verifier;
    private final OperationPublisher publisher;
    private final Caller caller;
    private final AuditConfig config;
    private final ExportSlots exportSlots;

    AuditResource(EventStore events, ChainVerifier verifier, OperationPublisher publisher, Caller caller,
            AuditConfig config, ExportSlots exportSlots) {
        this.events = events;
        this.verifier = verifier;
        this.publisher = publisher;
        this.caller = caller;
        this.config = config;
        this.exportSlots = exportSlots;
    }

    @GET
    @Path("/events")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Operation(summary = "Search audit entries, newest first, with keyset pagination")
    public EventPage search(
            @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("to") String to,
            @QueryParam("region") String region,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("resource") String resource,
            @QueryParam("type") String type,
            @Parameter(description = "1..1000, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor)
            throws SQLException {
        EventFilter filter = filter(from, to, region, actor, action, resource, type, cursor);
        int size = limit(limit);
        List<AuditRecord> rows = events.search(filter, size + 1);
        boolean more = rows.size() > size;
        List<AuditRecord> page = more ? rows.subList(0, size) : rows;
        ObjectNode details = details(filter);
        details.put("limit", size);
        details.put("returned", page.size());
        record(region, "audit.search", "audit:events", details);
        AuditRecord last = more ? page.get(page.size() - 1) : null;
        return new EventPage(List.copyOf(page), last == null ? null : new Cursor(last.time(), last.id()).encode());
    }

    @GET
    @Path("/events/{id: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Operation(summary = "One audit entry by id")
    public AuditRecord get(@PathParam("id") String id) throws SQLException {
        AuditRecord entry = readable(id);
        recordRead(entry, "audit.get");
        return entry;
    }

    @GET
    @Path("/events/{id: .+}/proof")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Operation(summary = "The entry's inclusion proof (RFC 9162) in the Merkle tree of the signed digest that closes it")
    public InclusionProof proof(@PathParam("id") String id) throws SQLException {
        AuditRecord entry = readable(id);
        if (entry.kind() != AuditEntryKind.RECORD) {
            throw new InvalidParameterException("id", id + " is a digest: it is signed itself (GET /v1/audit/keys), a"
                    + " proof is for the records a digest closes");
        }
        recordRead(entry, "audit.proof");
        return events.proof(entry).orElseThrow(() -> new ProofPendingException(id));
    }

    @GET
    @Path("/export")
    @Produces({"text/csv", "application/x-ndjson"})
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Operation(summary = "Every matching entry by region and sequence, streamed as CSV or NDJSON, ending with a trailer")
    public Response export(
            @Parameter(description = "csv or ndjson") @QueryParam("format") String format,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("region") String region,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("resource") String resource,
            @QueryParam("type") String type) throws SQLException {
        EventStore.Format chosen = format(format);
        EventFilter filter = filter(from, to, region, actor, action, resource, type, null);
        ExportSlots.Slot slot = exportSlots.take();
        try {
            long rows = events.count(filter, config.api().exportMaxRows());
            if (rows > config.api().exportMaxRows()) {
                throw new ExportRefusedException(400, "more than " + config.api().exportMaxRows() + " entries match,"
                        + " the most an export holds: narrow the filters (from, to, region, action…)");
            }
            ObjectNode details = details(filter);
            details.put("format", chosen.name().toLowerCase(Locale.ROOT));
            details.put("rows", rows);
            record(region, "audit.export", "audit:events", details);
        } catch (RuntimeException | SQLException e) {
            slot.close();
            throw e;
        }
        StreamingOutput body = out -> {
            try (slot) {
                events.export(filter, chosen, out, config.api().exportMaxTime());
            } catch (SQLException e) {
                throw new IOException("export failed", e);
            }
        };
        String extension = chosen == EventStore.Format.CSV ? "csv" : "ndjson";
        return Response.ok(body, chosen.mediaType())
                .header("Content-Disposition", "attachment; filename=\"audit." + extension + "\"").build();
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Operation(summary = "Re-walk a region's chain from the nearest signed digest; names the first broken entry")
    public VerifyReport verify(@QueryParam("region") String region, @QueryParam("from") String from,
            @QueryParam("to") String to) throws SQLException {
        if (region == null || region.isBlank()) {
            throw new InvalidParameterException("region", "region is required: a chain is per region");
        }
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        order(start, end);
        caller.requireRegion(region);
        VerifyReport report = VerifyReport.of(verifier.verify(region, start, end));
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.put("region", region);
        details.put("from", from);
        details.put("to", to);
        details.put("ok", report.ok());
        record(region, "audit.verify", "audit:chain/" + region, details);
        return report;
    }

    /**
     * The entry of that id, if the caller may see its region; an entry of another region answers exactly as an
     * unknown id, so ids cannot be probed across regions.
     */
    private AuditRecord readable(String id) throws SQLException {
        return events.get(id).filter(entry -> caller.maySee(entry.region()))
                .orElseThrow(() -> new EntryNotFoundException(id));
    }

    /** Records that the caller read one entry (the read is itself an operation). */
    private void recordRead(AuditRecord entry, String action) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.put("id", entry.id());
        record(entry.region(), action, "audit:events/" + entry.id(), details);
    }

    private EventFilter filter(String from, String to, String region, String actor, String action, String resource,
            String type, String cursor) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        order(start, end);
        List<String> regions;
        if (region != null) {
            caller.requireRegion(region);
            regions = List.of(region);
        } else if (caller.allRegions()) {
            regions = List.of();
        } else {
            regions = caller.regions();
            if (regions.isEmpty()) {
                throw new jakarta.ws.rs.ForbiddenException(caller.name() + " may read no region");
            }
        }
        Cursor after = null;
        if (cursor != null) {
            try {
                after = Cursor.decode(cursor);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("cursor", e.getMessage());
            }
        }
        return new EventFilter(start, end, regions, blankToNull(actor), blankToNull(action), blankToNull(resource),
                blankToNull(type), after);
    }

    private void record(String region, String action, String resource, ObjectNode details) {
        String chain = region != null && caller.maySee(region) ? region : config.homeRegion();
        publisher.publish(chain, caller.name(), action, resource, details);
    }

    private static ObjectNode details(EventFilter filter) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        if (filter.from() != null) {
            details.put("from", filter.from().toString());
        }
        if (filter.to() != null) {
            details.put("to", filter.to().toString());
        }
        filter.regions().forEach(details.putArray("regions")::add);
        putIfSet(details, "actor", filter.actor());
        putIfSet(details, "action", filter.action());
        putIfSet(details, "resource", filter.resource());
        putIfSet(details, "type", filter.type());
        if (filter.after() != null) {
            details.put("cursor", filter.after().encode());
        }
        return details;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, name + " must be an ISO-8601 date-time with offset, e.g."
                    + " 2026-11-27T10:00:00Z, was \"" + value + "\"");
        }
    }

    private static void order(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidParameterException("from", "from must be before to, was " + from + " ≥ " + to);
        }
    }

    private int limit(String value) {
        if (value == null || value.isEmpty()) {
            return config.api().defaultLimit();
        }
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("limit", "limit must be an integer, was \"" + value + "\"");
        }
        if (limit < 1 || limit > config.api().maxLimit()) {
            throw new InvalidParameterException("limit", "limit must be within 1.." + config.api().maxLimit() + ", was "
                    + limit);
        }
        return limit;
    }

    private static EventStore.Format format(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidParameterException("format", "format is required: csv or ndjson");
        }
        try {
            return EventStore.Format.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("format", "format must be csv or ndjson, was \"" + value + "\"");
        }
    }

}
