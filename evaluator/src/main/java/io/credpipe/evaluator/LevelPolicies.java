package io.credpipe.evaluator;

import io.credpipe.model.decision.LevelPolicy;
import io.credpipe.model.framework.FrameworkId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which {@link LevelPolicy} decides the levels of each framework: a policy per framework where one is
 * set, otherwise the fallback.
 *
 * @param fallback the policy of every framework without its own
 * @param byFramework policies set per framework
 */
public record LevelPolicies(LevelPolicy fallback, Map<FrameworkId, LevelPolicy> byFramework) {

    public LevelPolicies {
        Objects.requireNonNull(fallback, "fallback");
        byFramework = Map.copyOf(byFramework);
    }

    /** {@link LevelPolicy#DEFAULT} for every framework. */
    public static LevelPolicies defaults() {
        return new LevelPolicies(LevelPolicy.DEFAULT, Map.of());
    }

    /** The policy of one framework. */
    public LevelPolicy policyFor(FrameworkId framework) {
        return byFramework.getOrDefault(framework, fallback);
    }

    /** These policies with {@code policy} deciding {@code framework}. */
    public LevelPolicies with(FrameworkId framework, LevelPolicy policy) {
        Map<FrameworkId, LevelPolicy> copy = new HashMap<>(byFramework);
        copy.put(framework, policy);
        return new LevelPolicies(fallback, copy);
    }
}
