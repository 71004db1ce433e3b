package io.credpipe.model.framework;

import java.util.Map;

/**
 * Where a framework file came from, kept verbatim so that credentials and pages can attribute it.
 *
 * @param schemaVersion the export format version, e.g. {@code 1.0}
 * @param exportedAt when the generator exported the file, as written there
 * @param sources the export's {@code sources} object (e.g. {@code onet → "v30.2 (CC BY 4.0)"})
 * @param attribution the copyright line as given, e.g. {@code © EBSCOed}
 */
public record Provenance(String schemaVersion, String exportedAt, Map<String, String> sources, String attribution) {

    public Provenance {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }
}
