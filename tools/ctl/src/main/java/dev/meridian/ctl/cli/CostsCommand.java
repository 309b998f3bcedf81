package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.Query;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.CostsView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code costs [--from] [--to] [--group-by] [--step]}: the cost service's {@code GET /v1/costs}. */
@Command(name = "costs", description = "Show spend per period and group (the regions of the token only).")
public final class CostsCommand extends ApiCommand {

    @Option(names = "--from", paramLabel = "<instant|date>", description = "Start (default: the month's start).")
    String from;

    @Option(names = "--to", paramLabel = "<instant|date>", description = "End (default: now).")
    String to;

    @Option(names = "--group-by", paramLabel = "<keys>", description = "Comma-separated: region, pool, tier, "
            + "capacityType, task, team or a pool tag.")
    String groupBy;

    @Option(names = "--step", paramLabel = "1h|1d|1mo", description = "Period length (the service's default: 1d).")
    String step;

    @Override
    public Integer call() {
        Query query = Query.of().and("from", from).and("to", to).and("groupBy", groupBy).and("step", step);
        return show(client(Service.COST).get("/v1/costs", query), CostsView::print);
    }
}
