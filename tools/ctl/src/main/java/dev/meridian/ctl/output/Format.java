package dev.meridian.ctl.output;

/** {@code -o table} (aligned columns for people) or {@code -o json} (the service's answer as it came, for scripts). */
public enum Format {
    TABLE, JSON
}
