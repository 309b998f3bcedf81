package dev.meridian.contracts.fleet;

import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.util.List;

/**
 * Which node, and what it is: the identity {@link FleetNode}, {@code NodeMetric} and {@code NodeUtilization}
 * (and metrics-ingest's raw sample) each carry as their first seven components, with its rules written once.
 *
 * <p>Not a contract of its own and never written as an object: those records keep the seven fields as flat
 * components, so their JSON and schemas are what they were, and hand them out as one value from {@code ref()} —
 * to copy a node's identity from one record into the next ({@code new FleetNode(metric.ref(), ...)}) and to
 * check it ({@code Checks.of().inline(ref())}), reported under the same flat field names.
 *
 * @param nodeId       the node's id, the key of every node-keyed topic
 * @param zone         availability zone within {@code region}
 * @param instanceType the provider's instance type, e.g. {@code p4d.24xlarge}
 */
public record NodeRef(
        String nodeId,
        String region,
        String zone,
        String pool,
        Tier tier,
        String instanceType,
        CapacityType capacityType) implements Validated {

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .id("nodeId", nodeId)
                .id("region", region)
                .id("zone", zone)
                .id("pool", pool)
                .required("tier", tier)
                .id("instanceType", instanceType)
                .required("capacityType", capacityType)
                .result();
    }
}
