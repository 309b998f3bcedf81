package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.Query;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.ActionsView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code actions [--region R] [--pool P] [--limit N]}, newest first, and {@code actions get <id>}. */
@Command(name = "actions", description = "List operator actions, newest first ('actions get <id>' shows one).",
        subcommands = ActionsCommand.Get.class)
public final class ActionsCommand extends ApiCommand {

    @Option(names = "--region", paramLabel = "<region>", description = "Only this region's actions.")
    String region;

    @Option(names = "--pool", paramLabel = "<pool>", description = "Only this pool's actions.")
    String pool;

    @Option(names = "--limit", paramLabel = "<n>", description = "At most this many (the scaler's default if left "
            + "out).")
    Integer limit;

    @Override
    public Integer call() {
        Query query = Query.of().and("region", region).and("pool", pool).and("limit", limit);
        return show(client(Service.SCALER).get("/v1/actions", query), ActionsView::printList);
    }

    /** {@code actions get <id>}. */
    @Command(name = "get", description = "Show one operator action: PENDING, APPLIED, or REJECTED with the reason.")
    public static final class Get extends ShowActionCommand {
    }
}
