package dev.meridian.ctl.cli;

import dev.meridian.ctl.http.ActionRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code resume --region R --pool P}: autoscale a paused pool again. */
@Command(name = "resume", description = "Autoscale a paused pool again.")
public final class ResumeCommand extends SubmitCommand {

    @Mixin
    PoolTarget target;

    @Override
    ActionRequest request() {
        return new ActionRequest("RESUME", target.region, target.pool, null, null, null, null, reason);
    }
}
