package dev.meridian.fleetsim.whatif;

import java.util.List;

/** The offline what-if replay: each policy set over the same scenario, one after the other. */
public final class WhatIf {

    private WhatIf() {
    }

    public static WhatIfResult run(Scenario scenario, PolicySet policy) {
        return new WhatIfSimulation(scenario, policy).run();
    }

    public static List<WhatIfResult> compare(Scenario scenario, List<PolicySet> policies) {
        return policies.stream().map(policy -> run(scenario, policy)).toList();
    }
}
