package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.Query;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.ActionsView;
import picocli.CommandLine.Parameters;

/** One operator action and what became of it: the scaler's {@code GET /v1/actions/{id}}. */
abstract class ShowActionCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "<actionId>", description = "The id 'scale', 'pause', … printed.")
    String actionId;

    @Override
    public Integer call() {
        return show(client(Service.SCALER).get("/v1/actions/" + Query.segment(actionId), Query.of()),
                ActionsView::printOne);
    }
}
