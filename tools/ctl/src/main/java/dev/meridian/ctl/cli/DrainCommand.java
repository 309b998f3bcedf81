package dev.meridian.ctl.cli;

import picocli.CommandLine.Command;

/** {@code drain --region R --pool P --node N}. */
@Command(name = "drain", description = "Cordon a node, then let the next scale-in of its pool remove it.")
public final class DrainCommand extends NodeActionCommand {

    @Override
    String kind() {
        return "DRAIN";
    }
}
