package io.credpipe.ingest.http;

import io.credpipe.model.framework.Framework;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The port through which {@link FrameworkRoutes} reads and publishes frameworks; the service root
 * backs it with the {@code frameworks} topic.
 */
public interface PublishedFrameworks {

    /**
     * Whether the published frameworks have been read; until then the routes answer 503.
     *
     * @return {@code true} once they are known
     */
    boolean ready();

    /**
     * The framework published under an id.
     *
     * @param id a framework id
     * @return the framework, if any
     */
    Optional<Framework> get(String id);

    /**
     * Every published framework, by id.
     *
     * @return the frameworks
     */
    List<Framework> all();

    /**
     * Writes a framework durably.
     *
     * @param framework the framework
     * @return completes when it is written, exceptionally when it was not
     */
    CompletableFuture<?> publish(Framework framework);

    /**
     * Remembers a framework this instance just published, before it is read back.
     *
     * @param framework the framework
     */
    void remember(Framework framework);
}
