package dev.meridian.scheduler.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Where Envoy connects for a node or a region. Node records carry ids, not addresses, so a node's host is its id
 * and region put into a template ({@code {node}.{region}.meridian.internal} by default), a region's gateway its name
 * put into {@code gatewayFormat}; both are then resolved, because an EDS cluster takes IP addresses only.
 */
public final class EndpointAddresses {

    private final String nodeFormat;
    private final String gatewayFormat;
    private final HostResolver resolver;

    /**
     * @param nodeFormat    host of a node, {@code {node}} and {@code {region}} replaced
     * @param gatewayFormat {@link String#format} pattern, {@code %s} = the region
     */
    public EndpointAddresses(String nodeFormat, String gatewayFormat, HostResolver resolver) {
        this.nodeFormat = Objects.requireNonNull(nodeFormat, "nodeFormat");
        this.gatewayFormat = Objects.requireNonNull(gatewayFormat, "gatewayFormat");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public String nodeHost(String nodeId, String region) {
        return nodeFormat.replace("{node}", nodeId).replace("{region}", region);
    }

    public String gatewayHost(String region) {
        return String.format(gatewayFormat, region);
    }

    /** The node's address; empty when its host does not resolve (Envoy would reject the whole answer). */
    public Optional<String> node(String nodeId, String region) {
        return resolver.address(nodeHost(nodeId, region));
    }

    public Optional<String> gateway(String region) {
        return resolver.address(gatewayHost(region));
    }
}
