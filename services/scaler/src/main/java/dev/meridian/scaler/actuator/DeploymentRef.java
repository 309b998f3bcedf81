package dev.meridian.scaler.actuator;

/** A Deployment by namespace and name, written {@code namespace/name} in configuration. */
public record DeploymentRef(String namespace, String name) {

    public static DeploymentRef parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("a Deployment is written namespace/name, was " + text);
        }
        return new DeploymentRef(text.substring(0, slash), text.substring(slash + 1));
    }
}
