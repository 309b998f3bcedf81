package dev.meridian.ctl;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What the commands take from outside their arguments, handed in so that tests run the CLI in-process.
 *
 * @param variables    the environment variables ({@code MERIDIAN_TOKEN}, {@code MERIDIAN_<SERVICE>_URL})
 * @param clock        what {@code --for} counts from
 * @param pollInterval how often {@code --wait} asks for an action's status
 */
public record CtlEnvironment(Map<String, String> variables, Clock clock, Duration pollInterval) {

    public CtlEnvironment {
        variables = Map.copyOf(variables);
    }

    /** The process's own environment and the system clock, polling every half second. */
    public static CtlEnvironment system() {
        return new CtlEnvironment(System.getenv(), Clock.systemUTC(), Duration.ofMillis(500));
    }

    /** The variable, or null when it is unset or blank. */
    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
