package io.credpipe.ingest.intake;

import io.credpipe.model.framework.LevelPolicy;
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
 *
 * <p>Its {@code levelPolicy} may change, and the evaluator then re-decides every operator of the
 * framework, but only forwards: once published, a policy is replaced only by one with a higher
 * version, or sent again unchanged. A lower version, the same version with other content, or an
 * upload that leaves the published policy out would make the evaluator's choice depend on history
 * rather than on the record, so they conflict.
 */
public sealed interface FrameworkRevision {

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

    /**
     * Compares an upload with what is published under its id.
     *
     * @param published what is published under the upload's id, if anything
     * @param upload    the framework an admin sent
     * @return what publishing it would be
     */
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
        LevelPolicy was = published.get().levelPolicy();
        LevelPolicy is = upload.levelPolicy();
        if (was != null && !was.equals(is)) {
            if (is == null) {
                return new Conflict("levelPolicy is missing; the published framework has policy " + was.id() + " version "
                        + was.version() + ": send it again, or one with a higher version");
            }
            if (is.version() <= was.version()) {
                return new Conflict("levelPolicy version " + is.version() + (is.version() == was.version()
                        ? " is already published with other content" : " is lower than the published version " + was.version())
                        + "; a changed policy needs a higher version");
            }
        }
        return new Amended(!published.get().equals(upload));
    }
}
