package dev.meridian.ctl.http;

import java.util.Locale;

/** The services ctl talks to, with their sandbox ports (one host, the sandbox's default {@code --base-port}). */
public enum Service {
    SCALER(8083), SCHEDULER(8082), COST(8084), AUDIT(8085);

    private final int sandboxPort;

    Service(int sandboxPort) {
        this.sandboxPort = sandboxPort;
    }

    /** The service's name in options and messages: {@code scaler}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code http://localhost:8083}: the sandbox's address of the service. */
    public String defaultUrl() {
        return "http://localhost:" + sandboxPort;
    }

    /** {@code MERIDIAN_SCALER_URL}: the environment variable that overrides the default. */
    public String variable() {
        return "MERIDIAN_" + name() + "_URL";
    }
}
