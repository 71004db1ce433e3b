package io.credpipe.evaluator.rule;

import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The frameworks loaded so far, by id. */
@FunctionalInterface
public interface FrameworkCatalogue {

    /** The framework with this id, when it is loaded. */
    Optional<Framework> find(FrameworkId id);

    /** A fixed catalogue of these frameworks. */
    static FrameworkCatalogue of(Collection<Framework> frameworks) {
        Map<FrameworkId, Framework> byId = frameworks.stream()
                .collect(Collectors.toUnmodifiableMap(Framework::id, Function.identity()));
        return id -> Optional.ofNullable(byId.get(id));
    }
}
