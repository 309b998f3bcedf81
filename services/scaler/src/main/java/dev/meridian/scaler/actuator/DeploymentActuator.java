package dev.meridian.scaler.actuator;

import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Objects;

/**
 * Applies scale commands to Kubernetes Deployments, one Deployment per pool and one pod per node (the pod name is
 * the node id). Every operation is idempotent, so a redelivered command changes nothing:
 * <ul>
 * <li>SCALE_OUT, ACTIVATE_WARM, SCALE_IN: {@code spec.replicas = desiredNodes}. A command whose
 * {@linkplain ScaleCommand#effectivePurpose() purpose} is {@link ScalePurpose#WARM_POOL} (a warm-pool refill) is
 * skipped: its counts are warm nodes, and a Deployment has no warm pool.</li>
 * <li>DRAIN: the named pods get {@code controller.kubernetes.io/pod-deletion-cost: -1000} (so the ReplicaSet
 * removes exactly them at the following SCALE_IN) and the label {@code meridian.dev/draining=true} (so a Service
 * selector can stop sending them traffic).</li>
 * <li>RESIZE: the pod template's node selector {@code node.kubernetes.io/instance-type} becomes the target type,
 * which rolls the pods onto the next rung.</li>
 * <li>REPLACE: the named pod is deleted; the ReplicaSet recreates it elsewhere.</li>
 * <li>DEFERRED: nothing (it is recorded for audit only).</li>
 * </ul>
 */
public final class DeploymentActuator {

    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String DRAINING_LABEL = "meridian.dev/draining";
    static final String INSTANCE_TYPE_SELECTOR = "node.kubernetes.io/instance-type";
    static final String LAST_COMMAND = "meridian.dev/last-command";

    /** What applying one command did. */
    public enum Result {
        APPLIED, SKIPPED_UNMAPPED_POOL, SKIPPED_NOT_APPLICABLE, DEPLOYMENT_MISSING
    }

    private final KubernetesClient client;
    private final Map<String, DeploymentRef> deployments;

    /** @param deployments {@code region/pool} → the Deployment that serves it */
    public DeploymentActuator(KubernetesClient client, Map<String, DeploymentRef> deployments) {
        this.client = Objects.requireNonNull(client, "client");
        this.deployments = Map.copyOf(deployments);
    }

    public Result apply(ScaleCommand command) {
        DeploymentRef ref = deployments.get(command.key());
        if (ref == null) {
            return Result.SKIPPED_UNMAPPED_POOL;
        }
        var deployment = client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name());
        if (deployment.get() == null) {
            return Result.DEPLOYMENT_MISSING;
        }
        switch (command.action()) {
            case SCALE_OUT, ACTIVATE_WARM, SCALE_IN -> {
                if (command.effectivePurpose() == ScalePurpose.WARM_POOL) {
                    return Result.SKIPPED_NOT_APPLICABLE;
                }
                deployment.edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(command.desiredNodes())
                        .endSpec().editMetadata().addToAnnotations(LAST_COMMAND, command.commandId()).endMetadata()
                        .build());
            }
            case DRAIN -> command.nodes().forEach(name -> {
                var pod = client.pods().inNamespace(ref.namespace()).withName(name);
                // a pod already gone needs no draining
                if (pod.get() != null) {
                    pod.edit(p -> new PodBuilder(p).editMetadata().addToAnnotations(DELETION_COST, "-1000")
                            .addToLabels(DRAINING_LABEL, "true").endMetadata().build());
                }
            });
            case RESIZE -> deployment.edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec()
                    .addToNodeSelector(INSTANCE_TYPE_SELECTOR, command.targetInstanceType()).endSpec().endTemplate()
                    .endSpec().editMetadata().addToAnnotations(LAST_COMMAND, command.commandId()).endMetadata()
                    .build());
            case REPLACE -> command.nodes().forEach(pod -> client.pods().inNamespace(ref.namespace()).withName(pod)
                    .delete());
            case DEFERRED -> {
                return Result.SKIPPED_NOT_APPLICABLE;
            }
            default -> throw new IllegalStateException("unhandled action " + command.action());
        }
        return Result.APPLIED;
    }
}
