package dev.meridian.ingest.intake;

/** What the doors count, per sample; the service backs it with Micrometer. */
public interface IntakeMetrics {

    /** A sample passed validation and was handed on. */
    void accepted(Door door);

    /** A sample was rejected; {@code rule} is the validation rule it broke. */
    void rejected(Door door, String rule);
}
