package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.Query;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.PoolsView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pools [--region R]}: the scaler's {@code GET /v1/pools}. */
@Command(name = "pools", description = "List the scaled pools: size, bounds, and whether paused, manually sized or "
        + "overridden.")
public final class PoolsCommand extends ApiCommand {

    @Option(names = "--region", paramLabel = "<region>", description = "Only this region's pools.")
    String region;

    @Override
    public Integer call() {
        return show(client(Service.SCALER).get("/v1/pools", Query.of().and("region", region)), PoolsView::print);
    }
}
