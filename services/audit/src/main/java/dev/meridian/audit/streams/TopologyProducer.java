package dev.meridian.audit.streams;

import dev.meridian.audit.chain.ChainMetrics;
import dev.meridian.audit.chain.ChainTopology;
import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.config.AuditConfig;
import dev.meridian.contracts.topic.TopicCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

/** The service's one Kafka Streams topology: the chainer. */
@ApplicationScoped
public class TopologyProducer {

    private final AuditConfig config;
    private final DigestSigner signer;
    private final ChainMetrics metrics;

    TopologyProducer(AuditConfig config, DigestSigner signer, MicrometerChainMetrics metrics) {
        this.config = config;
        this.signer = signer;
        this.metrics = metrics;
    }

    @Produces
    public Topology topology() {
        return ChainTopology.build(settings(config, signer), metrics);
    }

    public static ChainTopology.Settings settings(AuditConfig config, DigestSigner signer) {
        return new ChainTopology.Settings(config.chain().topics(), config.homeRegion(), config.source(), signer,
                config.chain().digestInterval(), config.chain().dedupeWindow(), config.chain().attributionTimeout(),
                TopicCatalog.byName(TopicCatalog.AUDIT_LOG).partitions());
    }
}
