package dev.meridian.contracts.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A spot interruption notice: the node is drained at once and replaced.
 *
 * @param noticeAt when the provider announced the interruption, as the sender claims it: checked against the
 *                 receiver's clock at the door ({@link #violationsAt}), kept as a detail downstream
 * @param deadline when the provider takes the node back
 * @param source   who reported it (e.g. {@code aws-spot-itn}, {@code fleet-sim})
 */
public record Interruption(
        @JsonProperty(required = true) String nodeId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String pool,
        @JsonProperty(required = true) Instant noticeAt,
        @JsonProperty(required = true) Instant deadline,
        @JsonProperty(required = true) String source) implements Validated {

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .id("nodeId", nodeId)
                .id("region", region)
                .id("pool", pool)
                .required("noticeAt", noticeAt)
                .required("deadline", deadline)
                .notBefore("deadline", deadline, "noticeAt", noticeAt)
                .id("source", source)
                .result();
    }

    /**
     * The door's check: {@link #violations()} plus {@code noticeAt} within {@code [now - maxAge, now + maxClockSkew]}. A
     * notice is news of the next two minutes; one dated decades ago or ahead is a broken or hostile sender.
     */
    public List<Violation> violationsAt(Instant now, Duration maxAge, Duration maxClockSkew) {
        List<Violation> all = new ArrayList<>(violations());
        Checks.clockSkew("noticeAt", noticeAt, now, maxClockSkew).ifPresent(all::add);
        Checks.tooOld("noticeAt", noticeAt, now, maxAge).ifPresent(all::add);
        return List.copyOf(all);
    }
}
