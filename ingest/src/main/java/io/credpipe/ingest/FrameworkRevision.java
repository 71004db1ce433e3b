package io.credpipe.ingest;

import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Whether a framework an admin uploads may be published: a framework id names one version, and
 * credentials already align to its statements by id and text, so its statements never change. A
 * changed statement needs a new version, i.e. a new framework id; other fields (descriptions,
 * provenance) may be corrected.
 */
sealed interface FrameworkRevision {

    /** The id is new. */
    record New() implements FrameworkRevision {}

    /** Same statements, other fields changed (or none): published again. */
    record Amended(boolean changed) implements FrameworkRevision {}

    /**
     * The statements differ from the published ones.
     *
     * @param detail the first difference, for the admin
     */
    record Conflict(String detail) implements FrameworkRevision {}

    /** Compares an upload with what is published under its id. */
    static FrameworkRevision of(Optional<Framework> published, Framework upload) {
        if (published.isEmpty()) {
            return new New();
        }
        for (Level level : Level.values()) {
            List<Statement> before = published.get().statements(level);
            List<Statement> after = upload.statements(level);
            for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
                Statement was = i < before.size() ? before.get(i) : null;
                Statement is = i < after.size() ? after.get(i) : null;
                if (was == null || is == null || !was.equals(is)) {
                    String id = (was != null ? was : is).id().toString();
                    String change = was == null ? "is added" : is == null ? "is removed" : "has different text";
                    return new Conflict("statement " + id + " " + change + "; the statements of a published framework never change: "
                            + "publish them as a new version (a new framework id)");
                }
            }
        }
        return new Amended(!published.get().equals(upload));
    }
}
