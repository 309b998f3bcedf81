package dev.meridian.ctl.cli;

import picocli.CommandLine.Command;

/** {@code cordon --region R --pool P --node N}. */
@Command(name = "cordon", description = "Take a node out of routing; it keeps running.")
public final class CordonCommand extends NodeActionCommand {

    @Override
    String kind() {
        return "CORDON";
    }
}
