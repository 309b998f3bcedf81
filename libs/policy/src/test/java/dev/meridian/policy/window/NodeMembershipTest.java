package dev.meridian.policy.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeRef;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeMembershipTest {

    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    private static final NodeRef APSE_CORE = ref("ap-southeast", "ap-southeast-1a", "gpu-core");

    @Test
    void aFirstSampleJoins() {
        assertThat(NodeMembership.of(null, APSE_CORE)).isEqualTo(NodeMembership.JOINS);
    }

    @Test
    void aJoinedNodeReportingFromItsPlaceChangesNothing() {
        assertThat(NodeMembership.of(known(NodeState.JOINED), APSE_CORE)).isEqualTo(NodeMembership.UNCHANGED);
        // Only region and pool place a node; another zone of the same region is the same place.
        assertThat(NodeMembership.of(known(NodeState.JOINED), ref("ap-southeast", "ap-southeast-1b", "gpu-core")))
                .isEqualTo(NodeMembership.UNCHANGED);
    }

    @Test
    void aStaleNodeReportingAgainRejoins() {
        assertThat(NodeMembership.of(known(NodeState.STALE), APSE_CORE)).isEqualTo(NodeMembership.JOINS);
    }

    @Test
    void anotherPoolOfTheSameRegionIsAMove() {
        NodeRef batch = ref("ap-southeast", "ap-southeast-1a", "gpu-batch");
        assertThat(NodeMembership.of(known(NodeState.JOINED), batch)).isEqualTo(NodeMembership.MOVES);
        assertThat(NodeMembership.of(known(NodeState.STALE), batch)).isEqualTo(NodeMembership.MOVES);
    }

    @Test
    void anotherRegionIsRefusedWhileTheNodeIsNotLeft() {
        NodeRef euWest = ref("eu-west", "eu-west-1a", "gpu-core");
        assertThat(NodeMembership.of(known(NodeState.JOINED), euWest)).isEqualTo(NodeMembership.REFUSED);
        assertThat(NodeMembership.of(known(NodeState.STALE), euWest)).isEqualTo(NodeMembership.REFUSED);
        // Another region and another pool: still another region.
        assertThat(NodeMembership.of(known(NodeState.JOINED), ref("eu-west", "eu-west-1a", "gpu-batch")))
                .isEqualTo(NodeMembership.REFUSED);
    }

    @Test
    void afterLeftTheIdJoinsInAnyRegion() {
        assertThat(NodeMembership.of(known(NodeState.LEFT), ref("eu-west", "eu-west-1a", "gpu-core")))
                .isEqualTo(NodeMembership.JOINS);
        assertThat(NodeMembership.of(known(NodeState.LEFT), APSE_CORE)).isEqualTo(NodeMembership.JOINS);
    }

    private static FleetNode known(NodeState state) {
        return new FleetNode(APSE_CORE, state, T, T);
    }

    private static NodeRef ref(String region, String zone, String pool) {
        return new NodeRef("gpu-apse1-0042", region, zone, pool, Tier.CORE_GPU, "p5.48xlarge",
                CapacityType.ON_DEMAND);
    }
}
