package io.credpipe.model.event;

import java.util.Objects;

/**
 * The person assessed, as the HR system identifies them.
 *
 * <p>{@code email} is personal data: it is hashed (salted) before it appears in a credential and
 * never logged.
 *
 * @param id the HR system's operator id, e.g. {@code acme:E1234}; the Kafka key of their events
 * @param name display name, optional
 * @param email e-mail address, optional
 */
public record Operator(String id, String name, String email) {

    public Operator {
        Objects.requireNonNull(id, "id");
    }

    /** Keeps e-mail addresses out of logs and exception messages. */
    @Override
    public String toString() {
        return "Operator[id=" + id + ", name=" + name + ", email=" + (email == null ? "null" : "<redacted>") + "]";
    }
}
