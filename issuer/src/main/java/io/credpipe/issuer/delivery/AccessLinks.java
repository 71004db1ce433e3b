package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.OperatorLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Operators' private links: creates them (a fresh {@link AccessToken}, stored only as its hash),
 * resolves a token to its operator while the link is open, and revokes them. The link URL is
 * {@code {publicBase}/o/{token}}; the token is shown once, to whoever created the link.
 */
public final class AccessLinks implements AccessLinkResolver {

    /** The path prefix of operator pages; every path under it carries a token and is kept out of logs. */
    public static final String PATH_PREFIX = "/o/";

    private final OperatorLinkStore store;
    private final LinkValidity validity;
    private final RandomGenerator random;
    private final Clock clock;
    private final String publicBase;

    /**
     * @param store where links are kept
     * @param validity how long links stay open
     * @param random a cryptographically strong generator (e.g. {@link java.security.SecureRandom})
     * @param clock the time links are created and checked at
     * @param publicBase the issuer's public base URL, without a trailing slash
     */
    public AccessLinks(OperatorLinkStore store, LinkValidity validity, RandomGenerator random, Clock clock,
            String publicBase) {
        this.store = Objects.requireNonNull(store, "store");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.publicBase = Objects.requireNonNull(publicBase, "publicBase");
    }

    /**
     * A link that was just created, with its token: the only moment the token exists outside the
     * operator's hands.
     *
     * @param url the page's URL, {@code {publicBase}/o/{token}}
     * @param link what is stored
     */
    public record Created(String url, OperatorLink link) {

        /** Keeps the token out of logs and exception messages. */
        @Override
        public String toString() {
            return "Created[link " + link.tokenHash() + " of operator " + link.operatorId() + ", expires "
                    + link.expiresAt() + "]";
        }
    }

    /**
     * Creates a link to {@code operatorId}'s page, open for {@code asked} (the configured validity when null).
     *
     * @param createdBy who asks, recorded with the link
     * @throws IllegalArgumentException when {@code asked} is out of bounds (see {@link LinkValidity})
     */
    public Created create(String operatorId, String createdBy, Duration asked) {
        Objects.requireNonNull(operatorId, "operatorId");
        if (operatorId.isBlank()) {
            throw new IllegalArgumentException("an operator id is not blank");
        }
        // Whole seconds: the expiry is shown to people and to HR systems.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String token = AccessToken.generate(random);
        OperatorLink link = new OperatorLink(AccessToken.hash(token), operatorId, now, validity.expiry(now, asked),
                createdBy);
        store.put(link);
        return new Created(publicBase + PATH_PREFIX + token, link);
    }

    @Override
    public Optional<String> operatorId(String token) {
        if (!AccessToken.wellFormed(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.find(AccessToken.hash(token)).filter(link -> link.opensAt(now)).map(OperatorLink::operatorId);
    }

    /**
     * Revokes the link {@code linkId} of {@code operatorId}; false when the operator has no such link
     * (so one operator's id cannot revoke another's links).
     */
    public boolean revoke(String operatorId, String linkId) {
        if (!AccessToken.wellFormedHash(linkId)) {
            return false;
        }
        Optional<OperatorLink> link = store.find(linkId).filter(found -> found.operatorId().equals(operatorId));
        link.ifPresent(found -> store.remove(found.tokenHash()));
        return link.isPresent();
    }

    /** Revokes every link of {@code operatorId}; answers how many there were. */
    public int revokeAll(String operatorId) {
        List<OperatorLink> links = store.ofOperator(operatorId);
        links.forEach(link -> store.remove(link.tokenHash()));
        return links.size();
    }
}
