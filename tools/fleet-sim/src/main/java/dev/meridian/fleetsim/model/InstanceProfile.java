package dev.meridian.fleetsim.model;

/**
 * What one node of an instance type can do in the simulation.
 *
 * @param tokensPerSecond work the node serves per second at 100 % utilization
 * @param gpuCount        0 for CPU-only types
 * @param gpuMemMiBPerGpu memory of one GPU; 0 for CPU-only types
 */
public record InstanceProfile(double tokensPerSecond, int gpuCount, long gpuMemMiBPerGpu) {

    public InstanceProfile {
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
            throw new IllegalArgumentException("tokensPerSecond must be positive, was " + tokensPerSecond);
        }
        if (gpuCount < 0 || gpuMemMiBPerGpu < 0) {
            throw new IllegalArgumentException("gpuCount and gpuMemMiBPerGpu must not be negative");
        }
    }

    public static InstanceProfile cpu(double tokensPerSecond) {
        return new InstanceProfile(tokensPerSecond, 0, 0);
    }

    public InstanceProfile withTokensPerSecond(double tokens) {
        return new InstanceProfile(tokens, gpuCount, gpuMemMiBPerGpu);
    }

    public long gpuMemTotalMiB() {
        return gpuCount * gpuMemMiBPerGpu;
    }
}
