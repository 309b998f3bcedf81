package dev.meridian.contracts.topic;

/** Kafka {@code cleanup.policy} of a topic. */
public enum Cleanup {
    DELETE("delete"),
    COMPACT("compact");

    private final String kafkaValue;

    Cleanup(String kafkaValue) {
        this.kafkaValue = kafkaValue;
    }

    public String kafkaValue() {
        return kafkaValue;
    }
}
