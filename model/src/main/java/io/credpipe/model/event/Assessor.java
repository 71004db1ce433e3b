package io.credpipe.model.event;

import java.util.Objects;

/**
 * The person who assessed a statement.
 *
 * @param id the HR system's assessor id, e.g. {@code acme:S77}
 * @param name display name, optional
 */
public record Assessor(String id, String name) {

    public Assessor {
        Objects.requireNonNull(id, "id");
    }
}
