package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.Query;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.WeightsView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code weights <clientRegion>}: the scheduler's {@code GET /v1/weights/{clientRegion}}. */
@Command(name = "weights", description = "Show the routing weights last published for a client region, per tier, "
        + "with what was excluded and why.")
public final class WeightsCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "<clientRegion>", description = "The clients' region, e.g. eu-west.")
    String clientRegion;

    @Override
    public Integer call() {
        return show(client(Service.SCHEDULER).get("/v1/weights/" + Query.segment(clientRegion), Query.of()),
                WeightsView::print);
    }
}
