package dev.meridian.scaler.actuator;

import dev.meridian.contracts.scaling.ScaleAction;

/** What the Kubernetes actuator measures; {@code metrics.MicrometerScalerMetrics} in the service. */
public interface ActuatorMetrics {

    /** One command applied, skipped or failed ({@code result}: the actuator's outcome or {@code FAILED}). */
    void applied(ScaleAction action, String result);
}
