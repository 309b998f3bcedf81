package dev.meridian.fleetsim.emit;

/** The sink an {@link Emission} asks for. */
public final class SampleSinks {

    private SampleSinks() {
    }

    /**
     * @param bootstrapServers for Kafka emission, and for the probes of HTTP emission
     * @param ceSource         CloudEvents source of what goes to Kafka
     */
    public static SampleSink open(Emission emission, String bootstrapServers, String ceSource) {
        return switch (emission.kind()) {
            case KAFKA -> new KafkaSink(bootstrapServers, ceSource);
            case HTTP -> new HttpSink(emission, new KafkaSink(bootstrapServers, ceSource));
            case REMOTE_WRITE -> new RemoteWriteSink(emission);
        };
    }
}
