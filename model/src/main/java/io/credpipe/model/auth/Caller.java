package io.credpipe.model.auth;

import java.util.Objects;

/**
 * Who is calling the HTTP API, as established from their API key.
 *
 * @param source the HR source the key belongs to (e.g. {@code hr1}); events it sends must name it
 * @param admin whether the key may manage frameworks, sources and credentials
 */
public record Caller(String source, boolean admin) {

    public Caller {
        Objects.requireNonNull(source, "source");
    }
}
