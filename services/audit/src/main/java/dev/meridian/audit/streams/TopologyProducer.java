package dev.meridian.audit.streams;

import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.config.AuditConfig;
import dev.meridian.contracts.topic.TopicCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

/** The service's one Kafka Streams topology: the chainer. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(AuditConfig config, DigestSigner signer, ChainMetrics metrics) {
        return AuditTopology.build(settings(config, signer), metrics);
    }

    public static AuditTopology.Settings settings(AuditConfig config, DigestSigner signer) {
        return new AuditTopology.Settings(config.chain().topics(), config.homeRegion(), config.source(), signer,
                config.chain().digestInterval(), config.chain().dedupeWindow(), config.chain().attributionTimeout(),
                TopicCatalog.byName(TopicCatalog.AUDIT_LOG).partitions());
    }
}
