package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.ActionRequest;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** An action on one node of a pool: {@code --region R --pool P --node N}. */
abstract class NodeActionCommand extends SubmitCommand {

    @Mixin
    PoolTarget target;

    @Option(names = "--node", required = true, paramLabel = "<nodeId>", description = "The node.")
    String node;

    /** CORDON, UNCORDON or DRAIN. */
    abstract String kind();

    @Override
    ActionRequest request() {
        return new ActionRequest(kind(), target.region, target.pool, node, null, null, null, reason);
    }
}
