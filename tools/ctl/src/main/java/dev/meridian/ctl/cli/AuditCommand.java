package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.Query;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.AuditView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit search …}: the audit service's {@code GET /v1/audit/events}. */
@Command(name = "audit", description = "The audit log.", subcommands = AuditCommand.Search.class)
public final class AuditCommand {

    /** {@code audit search [filters] [--limit N] [--cursor C]}, newest first. */
    @Command(name = "search", description = "Search audit records, newest first (a page at a time: --cursor).")
    public static final class Search extends ApiCommand {

        @Option(names = "--from", paramLabel = "<instant>", description = "Not before.")
        String from;

        @Option(names = "--to", paramLabel = "<instant>", description = "Not after.")
        String to;

        @Option(names = "--region", paramLabel = "<region>", description = "Only this region's records.")
        String region;

        @Option(names = "--actor", paramLabel = "<actor>", description = "Only this actor's.")
        String actor;

        @Option(names = "--action", paramLabel = "<action>", description = "Only this action, e.g. scale.command.")
        String action;

        @Option(names = "--resource", paramLabel = "<resource>", description = "Only this resource.")
        String resource;

        @Option(names = "--type", paramLabel = "<type>", description = "Only this CloudEvents type.")
        String type;

        @Option(names = "--limit", paramLabel = "<n>", description = "Page size, 1..1000.")
        Integer limit;

        @Option(names = "--cursor", paramLabel = "<cursor>", description = "The next page, as the last one said.")
        String cursor;

        @Override
        public Integer call() {
            Query query = Query.of().and("from", from).and("to", to).and("region", region).and("actor", actor)
                    .and("action", action).and("resource", resource).and("type", type).and("limit", limit)
                    .and("cursor", cursor);
            return show(client(Service.AUDIT).get("/v1/audit/events", query), AuditView::print);
        }
    }
}
