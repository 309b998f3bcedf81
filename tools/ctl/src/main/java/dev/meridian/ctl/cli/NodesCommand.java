package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.Query;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.NodesView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nodes [--region R] [--pool P]}: the scaler's {@code GET /v1/nodes}. */
@Command(name = "nodes", description = "List nodes with their state and whether cordoned or draining.")
public final class NodesCommand extends ApiCommand {

    @Option(names = "--region", paramLabel = "<region>", description = "Only this region's nodes.")
    String region;

    @Option(names = "--pool", paramLabel = "<pool>", description = "Only this pool's nodes.")
    String pool;

    @Override
    public Integer call() {
        return show(client(Service.SCALER).get("/v1/nodes", Query.of().and("region", region).and("pool", pool)),
                NodesView::print);
    }
}
