package io.credpipe.ingest.intake;

import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import java.util.Optional;

/**
 * What ingest knows of the pipeline beyond one request, so that it refuses before answering what
 * the evaluator would otherwise refuse after a {@code 202} (issue 16.4): the frameworks loaded, and
 * (with the {@link EventIdIndex}) the events each source already sent.
 *
 * <p>Both are read from topics in the background, so a miss may only mean "not read yet": another
 * ingest instance, or a framework publisher outside ingest, may have just written it. A refusal is
 * therefore made only after {@link #catchUp()}.
 */
public interface KnownReferences {

    /**
     * A loaded framework.
     *
     * @param id its id
     * @return the framework, if loaded
     */
    Optional<Framework> framework(FrameworkId id);

    /**
     * Waits, for a bounded time, until the frameworks and event ids read include everything
     * written to their topics before the call.
     *
     * @return whether both got there; when not, nothing may be refused for being unknown
     */
    boolean catchUp();
}
