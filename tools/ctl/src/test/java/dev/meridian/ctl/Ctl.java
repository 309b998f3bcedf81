package dev.meridian.ctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code meridian ctl} in-process, as {@code main} would, with its output captured: a fixed clock, a 5 ms poll
 * and the environment the test sets (by default every service's URL pointing at one stub).
 */
final class Ctl {

    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

    /** What a run printed and how it ended. */
    record Run(int exitCode, String out, String err) {
    }

    private final Map<String, String> variables = new HashMap<>();

    /** Every service at {@code stubUrl} through the environment. */
    static Ctl against(String stubUrl) {
        Ctl ctl = new Ctl();
        for (String service : new String[] {"SCALER", "SCHEDULER", "COST", "AUDIT"}) {
            ctl.variables.put("MERIDIAN_" + service + "_URL", stubUrl);
        }
        return ctl;
    }

    Ctl env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = CtlCommand.commandLine(new CtlEnvironment(variables,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(5)));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** A token file holding {@code token} and a newline, as the sandbox writes them. */
    static Path tokenFile(Path dir, String token) {
        try {
            return Files.writeString(dir.resolve("operator.jwt"), token + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
