package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.ActionRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pause --region R --pool P [--for D | --until T]}: stop autoscaling a pool, until a time or a resume. */
@Command(name = "pause", description = "Stop autoscaling a pool: until a time, or without one until 'resume'.")
public final class PauseCommand extends SubmitCommand {

    @Mixin
    PoolTarget target;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Until until;

    @Override
    ActionRequest request() {
        return new ActionRequest("PAUSE", target.region, target.pool, null, null,
                Until.resolve(until, ctl().environment().clock()), null, reason);
    }
}
