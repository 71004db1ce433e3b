package io.credpipe.issuer.status;

import io.credpipe.model.credential.StatusListState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The signed {@code BitstringStatusListCredential} of each list, signed again only after the list
 * changed: verifiers fetch a list far more often than it changes.
 */
public final class SignedStatusLists {

    /** A signed list (compact JWS) and its strong HTTP entity tag (RFC 9110 §8.8.3). */
    public record Signed(String jwt, String etag) {}

    private record Cached(StatusListState state, Signed signed) {}

    private final Function<String, Optional<StatusListState>> lists;
    private final Function<StatusListState, String> sign;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param lists the current state of a list by id
     * @param sign signs a list's status list credential, giving the compact JWS
     */
    public SignedStatusLists(Function<String, Optional<StatusListState>> lists, Function<StatusListState, String> sign) {
        this.lists = Objects.requireNonNull(lists, "lists");
        this.sign = Objects.requireNonNull(sign, "sign");
    }

    /** The signed list {@code listId} as it is now; empty when there is no such list. */
    public Optional<Signed> signed(String listId) {
        return lists.apply(listId).map(state -> cache.compute(listId, (id, cached) ->
                cached != null && cached.state().equals(state) ? cached : sign(state)).signed());
    }

    private Cached sign(StatusListState state) {
        String jwt = sign.apply(state);
        return new Cached(state, new Signed(jwt, "\"" + sha256(jwt) + "\""));
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
