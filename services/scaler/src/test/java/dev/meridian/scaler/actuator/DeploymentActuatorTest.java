package dev.meridian.scaler.actuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.scaler.actuator.DeploymentActuator.Result;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands applied to a Deployment on the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class DeploymentActuatorTest {

    private static final String NS = "inference";
    private static final Instant AT = Instant.parse("2026-11-27T10:00:31Z");

    KubernetesClient client;
    private DeploymentActuator actuator;

    @BeforeEach
    void fleet() {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
                .withName("gpu-core").withNamespace(NS).endMetadata().withNewSpec().withReplicas(4)
                .withNewSelector().addToMatchLabels("app", "gpu-core").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "gpu-core").endMetadata().withNewSpec().addNewContainer()
                .withName("server").withImage("vllm").endContainer().endSpec().endTemplate().endSpec().build())
                .create();
        for (int i = 1; i <= 4; i++) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("gpu-core-" + i)
                    .withNamespace(NS).addToLabels("app", "gpu-core").endMetadata().build()).create();
        }
        actuator = new DeploymentActuator(client, Map.of("us-east/gpu-core", new DeploymentRef(NS, "gpu-core")));
    }

    @Test
    void scaleOutSetsTheReplicasToTheDesiredCountOnceEvenWhenRedelivered() {
        ScaleCommand out = command("us-east/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z", ScaleAction.SCALE_OUT, 4, 7,
                List.of(), null);

        assertThat(actuator.apply(out)).isEqualTo(Result.APPLIED);
        assertThat(actuator.apply(out)).isEqualTo(Result.APPLIED);

        Deployment deployment = deployment();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(7);
        assertThat(deployment.getMetadata().getAnnotations())
                .containsEntry(DeploymentActuator.LAST_COMMAND, out.commandId());
    }

    @Test
    void drainMarksExactlyTheNamedPodsAndScaleInThenLowersTheReplicas() {
        actuator.apply(command("us-east/gpu-core/DRAIN/2026-11-27T10:05:00Z", ScaleAction.DRAIN, 4, 2,
                List.of("gpu-core-3", "gpu-core-4", "gone-already"), null));

        for (String drained : List.of("gpu-core-3", "gpu-core-4")) {
            var pod = client.pods().inNamespace(NS).withName(drained).get();
            assertThat(pod.getMetadata().getAnnotations()).containsEntry(DeploymentActuator.DELETION_COST, "-1000");
            assertThat(pod.getMetadata().getLabels()).containsEntry(DeploymentActuator.DRAINING_LABEL, "true");
        }
        assertThat(client.pods().inNamespace(NS).withName("gpu-core-1").get().getMetadata().getLabels())
                .doesNotContainKey(DeploymentActuator.DRAINING_LABEL);
        assertThat(deployment().getSpec().getReplicas()).as("a drain does not remove anything yet").isEqualTo(4);

        actuator.apply(command("us-east/gpu-core/SCALE_IN/2026-11-27T10:05:00Z", ScaleAction.SCALE_IN, 4, 2,
                List.of("gpu-core-3", "gpu-core-4"), null));

        assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void resizeMovesThePodTemplateToTheNextInstanceType() {
        ScaleCommand resize = command("us-east/gpu-core/RESIZE/2026-11-27T10:00:30Z", ScaleAction.RESIZE, 4, 4,
                List.of(), "g5.12xlarge");

        assertThat(actuator.apply(resize)).isEqualTo(Result.APPLIED);

        assertThat(deployment().getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry(DeploymentActuator.INSTANCE_TYPE_SELECTOR, "g5.12xlarge");
    }

    @Test
    void replaceDeletesTheInterruptedPodSoTheReplicaSetRecreatesIt() {
        actuator.apply(command("us-east/gpu-core/REPLACE/gpu-core-2/2026-11-27T10:00:31Z", ScaleAction.REPLACE, 4, 4,
                List.of("gpu-core-2"), null));

        assertThat(client.pods().inNamespace(NS).withName("gpu-core-2").get()).isNull();
        assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(3);
    }

    @Test
    void warmRefillsDeferralsAndUnmappedPoolsChangeNothing() {
        assertThat(actuator.apply(warmRefill("us-east/gpu-core/SCALE_OUT/warm/2026-11-27T10:00:30Z")))
                .isEqualTo(Result.SKIPPED_NOT_APPLICABLE);
        assertThat(actuator.apply(new ScaleCommand("us-east/gpu-core/DEFERRED/SCALE_OUT/2026-11-27T10:00:30Z",
                "us-east", "gpu-core", ScaleAction.DEFERRED, ScaleAction.SCALE_OUT, AT, AT, 4, 7, 3, "g5.xlarge",
                null, CapacityType.ON_DEMAND, Criticality.LOW, BudgetState.EXCEEDED, false, List.of(), "deferred")))
                .isEqualTo(Result.SKIPPED_NOT_APPLICABLE);
        assertThat(actuator.apply(new ScaleCommand("eu-west/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z", "eu-west",
                "gpu-core", ScaleAction.SCALE_OUT, null, AT, AT, 4, 7, 3, "g5.xlarge", null, CapacityType.ON_DEMAND,
                Criticality.CRITICAL, BudgetState.OK, false, List.of(), "hot"))).isEqualTo(Result.SKIPPED_UNMAPPED_POOL);

        assertThat(deployment().getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void aWarmRefillIsSkippedByItsPurposeWhateverItsId() {
        // CommandIds turns a key above 128 characters into a name-based UUID: no "/warm/" left to read
        ScaleCommand refill = warmRefill("3f0c8a52-7d1e-3b9a-9c4e-2a6f1d8b7e05");

        assertThat(actuator.apply(refill)).isEqualTo(Result.SKIPPED_NOT_APPLICABLE);
        assertThat(deployment().getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void aScaleOutWithoutAPurposeServesAsRecordsWrittenBeforeTheFieldDid() {
        ScaleCommand unstated = command("us-east/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z", ScaleAction.SCALE_OUT, 4,
                6, List.of(), null);

        assertThat(unstated.purpose()).isNull();
        assertThat(actuator.apply(unstated)).isEqualTo(Result.APPLIED);
        assertThat(deployment().getSpec().getReplicas()).isEqualTo(6);
    }

    @Test
    void aDeploymentThatDoesNotExistIsReportedNotCreated() {
        client.apps().deployments().inNamespace(NS).withName("gpu-core").delete();

        assertThat(actuator.apply(command("us-east/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z", ScaleAction.SCALE_OUT,
                4, 7, List.of(), null))).isEqualTo(Result.DEPLOYMENT_MISSING);
        assertThat(client.apps().deployments().inNamespace(NS).withName("gpu-core").get()).isNull();
    }

    @Test
    void deploymentsAreConfiguredAsNamespaceSlashName() {
        assertThat(DeploymentRef.parse("inference/gpu-core")).isEqualTo(new DeploymentRef("inference", "gpu-core"));
        for (String bad : List.of("gpu-core", "/gpu-core", "inference/", "a/b/c")) {
            assertThatIllegalArgumentException().isThrownBy(() -> DeploymentRef.parse(bad)).withMessageContaining(bad);
        }
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace(NS).withName("gpu-core").get();
    }

    /** Its counts are warm nodes: 0 of 2, which as replicas would shrink the Deployment to 2. */
    private static ScaleCommand warmRefill(String id) {
        return new ScaleCommand(id, "us-east", "gpu-core", ScaleAction.SCALE_OUT, null, AT, AT, 0, 2, 2,
                ScalePurpose.WARM_POOL, "g5.xlarge", null, CapacityType.ON_DEMAND, Criticality.CRITICAL, BudgetState.OK,
                false, List.of(), "refill warm pool");
    }

    private static ScaleCommand command(String id, ScaleAction action, int current, int desired, List<String> nodes,
            String targetType) {
        return new ScaleCommand(id, "us-east", "gpu-core", action, null, AT, AT, current, desired, desired - current,
                "g5.xlarge", targetType, CapacityType.ON_DEMAND, Criticality.CRITICAL, BudgetState.OK, false, nodes,
                "test");
    }
}
