package dev.meridian.contracts.cloudevents;

import dev.meridian.contracts.ContractType;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The CloudEvents 1.0 context attributes Meridian sets on every operational event (binary mode: they travel
 * as Kafka headers, the record value is the event data).
 *
 * @param id      unique per event (a UUID)
 * @param source  the producing service instance, e.g. {@code /meridian/scaler/us-east}
 * @param type    the record's {@code ce_type}, see {@link ContractType#ceType()}
 * @param time    when the event happened; may be null on events from outside Meridian
 * @param subject the region the event concerns; may be null on events from outside Meridian
 */
public record CloudEventAttributes(String id, String source, String type, Instant time, String subject) {

    public CloudEventAttributes {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
    }

    /** A new event of {@code contract} with a random id. */
    public static CloudEventAttributes of(ContractType contract, String source, Instant time, String region) {
        return new CloudEventAttributes(UUID.randomUUID().toString(), source, contract.ceType(), time, region);
    }
}
