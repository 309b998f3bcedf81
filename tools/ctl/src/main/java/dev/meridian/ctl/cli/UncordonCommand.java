package dev.meridian.ctl.cli;

import picocli.CommandLine.Command;

/** {@code uncordon --region R --pool P --node N}. */
@Command(name = "uncordon", description = "Put a cordoned or draining node back into routing.")
public final class UncordonCommand extends NodeActionCommand {

    @Override
    String kind() {
        return "UNCORDON";
    }
}
