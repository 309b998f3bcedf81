package dev.meridian.ctl.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Option;

/** When an action ends: {@code --for 2h} from now (whole seconds) or {@code --until <instant>}, one of the two. */
public final class Until {

    @Option(names = "--for", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How long from now: 90s, 15m, 2h, 1d, 1h30m.")
    Duration duration;

    @Option(names = "--until", paramLabel = "<instant>", converter = InstantConverter.class,
            description = "Until this instant, e.g. 2026-12-07T10:00:00Z.")
    Instant until;

    /** The end; null for a group that was not given. */
    static Instant resolve(Until group, Clock clock) {
        if (group == null) {
            return null;
        }
        return group.until != null ? group.until
                : clock.instant().plus(group.duration).truncatedTo(ChronoUnit.SECONDS);
    }
}
