package dev.meridian.scheduler.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Turns a host name into the IP address Envoy can connect to; empty when it does not resolve. */
@FunctionalInterface
public interface HostResolver {

    Optional<String> address(String host);

    /**
     * The JVM's resolver (DNS, /etc/hosts). It caches answers ({@code networkaddress.cache.ttl}, 30 s by default;
     * failures 10 s), so Envoy polling every second costs a look-up per host only when the cache expires.
     * IP literals are returned as they are, without a look-up.
     */
    static HostResolver dns() {
        return host -> {
            try {
                return Optional.of(InetAddress.getByName(host).getHostAddress());
            } catch (UnknownHostException | SecurityException e) {
                return Optional.empty();
            }
        };
    }

    /** Host names as they are, for an Envoy whose cluster resolves them itself ({@code resolver_name}). */
    static HostResolver asIs() {
        return Optional::of;
    }
}
