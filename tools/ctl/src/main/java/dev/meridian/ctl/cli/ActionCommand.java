package dev.meridian.ctl.cli;

import picocli.CommandLine.Command;

/** {@code action <id>}: the same as {@code actions get <id>}. */
@Command(name = "action", description = "Show one operator action: PENDING, APPLIED, or REJECTED with the reason.")
public final class ActionCommand extends ShowActionCommand {
}
