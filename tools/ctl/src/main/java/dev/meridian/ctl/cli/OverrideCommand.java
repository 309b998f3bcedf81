package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.ActionRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code override --region R --pool P (--for D | --until T) [settings]}: put thresholds, sustain or bounds over a
 * pool's own until a time; a setting left out keeps the pool's.
 */
@Command(name = "override", description = "Put scaling settings over a pool's own until a time; at least one "
        + "setting, the others keep the pool's.")
public final class OverrideCommand extends SubmitCommand {

    @Mixin
    PoolTarget target;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Until until;

    @Option(names = {"--scale-out-utilization", "--scale-out"}, paramLabel = "<percent>",
            description = "Scale out above this utilization (percent).")
    Double scaleOut;

    @Option(names = {"--scale-in-utilization", "--scale-in"}, paramLabel = "<percent>",
            description = "Scale in below this utilization (percent).")
    Double scaleIn;

    @Option(names = {"--target-utilization", "--target"}, paramLabel = "<percent>",
            description = "Size for this utilization (percent).")
    Double targetUtilization;

    @Option(names = {"--sustain-windows", "--sustain"}, paramLabel = "<n>",
            description = "Windows a breach must last before scaling.")
    Integer sustain;

    @Option(names = "--min-nodes", paramLabel = "<n>", description = "Lower bound of the pool's size.")
    Integer minNodes;

    @Option(names = "--max-nodes", paramLabel = "<n>", description = "Upper bound of the pool's size.")
    Integer maxNodes;

    @Override
    ActionRequest request() {
        ActionRequest.Override override = new ActionRequest.Override(scaleOut, scaleIn, targetUtilization, sustain,
                minNodes, maxNodes);
        if (override.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "override needs at least one of --scale-out-utilization, "
                    + "--scale-in-utilization, --target-utilization, --sustain-windows, --min-nodes, --max-nodes");
        }
        return new ActionRequest("OVERRIDE", target.region, target.pool, null, null,
                Until.resolve(until, ctl().environment().clock()), override, reason);
    }
}
