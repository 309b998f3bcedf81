package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.ActionRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code scale --region R --pool P --nodes N (--for D | --until T)}: hold a pool at a size, then autoscale again. */
@Command(name = "scale", description = "Hold a pool at a size until a time; autoscaling takes over again after it.")
public final class ScaleCommand extends SubmitCommand {

    @Mixin
    PoolTarget target;

    @Option(names = "--nodes", required = true, paramLabel = "<n>", description = "The size to hold (0 or more).")
    int nodes;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Until until;

    @Override
    ActionRequest request() {
        if (nodes < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--nodes must be 0 or more, was " + nodes);
        }
        return new ActionRequest("SCALE", target.region, target.pool, null, nodes,
                Until.resolve(until, ctl().environment().clock()), null, reason);
    }
}
