package io.credpipe.issuer.http;

import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.status.StatusLists;

import io.credpipe.model.credential.StatusAction;
import io.credpipe.model.credential.CredentialStatusCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * HTTP routes of credential status, a thin adapter:
 *
 * <ul>
 *   <li>{@code GET /v1/status/{listId}}: the signed {@code BitstringStatusListCredential} of a list
 *       ({@code application/jwt}, or {@code application/vc+jwt} when signed with {@code typ: vc+jwt}),
 *       from any instance, with {@code ETag} and
 *       {@code Cache-Control: max-age=}{@value #MAX_AGE_SECONDS}; {@code If-None-Match} answers 304.
 *       A client that names {@code application/ld+json} (or {@code application/vc}) at least as high
 *       as {@code application/json} and above the JWT types gets the same credential with an embedded
 *       {@code eddsa-rdfc-2022} proof made now (see {@link #wantsLinkedData}): the Digital Bazaar
 *       line of verifiers (the DCC's verifier-core, VerifierPlus, the Learner Credential Wallet)
 *       fetch a status list as {@code application/ld+json, application/json} and check it only as a
 *       Data Integrity credential (Bitstring Status List v1.0 §3.2 leaves the securing mechanism to
 *       the issuer);</li>
 *   <li>{@code POST /v1/credentials/{id}/revoke|suspend|reinstate} with {@code {"reason": "..."}}:
 *       for administrators ({@code Authorization: Bearer <api key>}); answers 202 once the command is
 *       acknowledged by Kafka. The status list shows the change once the owning stream task has
 *       applied it.</li>
 * </ul>
 */
public final class CredentialStatusRoutes {

    /**
     * How long verifiers may cache a status list: a revocation reaches them within this time. Short,
     * because a list is small and a suspension should take effect quickly.
     */
    static final int MAX_AGE_SECONDS = 60;
    static final int MAX_REASON_LENGTH = 500;

    /** Where commands go: the {@code credential-commands} topic in production. */
    @FunctionalInterface
    public interface CommandSink {
        /**
         * Returns once the command is durably accepted.
         *
         * @throws ProblemException when it cannot be
         */
        void send(CredentialStatusCommand command);
    }

    /** Finds the signed status list credential of a list. */
    @FunctionalInterface
    public interface StatusListSource {
        /**
         * @throws ProblemException when the lists cannot be read now
         */
        Optional<SignedStatusList> find(String listId);
    }

    /**
     * A signed status list credential.
     *
     * @param jwt the compact JWS
     * @param etag its entity tag, quoted
     */
    public record SignedStatusList(String jwt, String etag) {}

    /** Secures a list's status list credential with a Data Integrity proof made now. */
    @FunctionalInterface
    public interface LinkedDataStatusLists {
        /**
         * @throws ProblemException when the lists cannot be read now
         */
        Optional<ObjectNode> secured(String listId);
    }

    private final Authenticator authenticator;
    private final IssuerRoutes.CredentialLookup credentials;
    private final CommandSink commands;
    private final StatusListSource lists;
    private final LinkedDataStatusLists linkedDataLists;
    private final Clock clock;
    private final ObjectMapper mapper = Json.newMapper();

    public CredentialStatusRoutes(Authenticator authenticator, IssuerRoutes.CredentialLookup credentials, CommandSink commands,
            StatusListSource lists, Clock clock) {
        this(authenticator, credentials, commands, lists, listId -> Optional.empty(), clock);
    }

    /** As above, serving {@code linkedDataLists} to clients that ask for JSON-LD. */
    public CredentialStatusRoutes(Authenticator authenticator, IssuerRoutes.CredentialLookup credentials, CommandSink commands,
            StatusListSource lists, LinkedDataStatusLists linkedDataLists, Clock clock) {
        this.linkedDataLists = Objects.requireNonNull(linkedDataLists, "linkedDataLists");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.lists = Objects.requireNonNull(lists, "lists");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void addTo(Javalin http) {
        http.get(StatusLists.PATH + "{listId}", this::statusList);
        for (StatusAction action : StatusAction.values()) {
            http.post("/v1/credentials/{id}/" + action.id(), ctx -> change(ctx, action));
        }
    }

    private void statusList(Context ctx) throws IOException {
        String listId = ctx.pathParam("listId");
        Optional<SignedStatusList> list = StatusLists.isListId(listId) ? lists.find(listId) : Optional.empty();
        SignedStatusList signed = list.orElseThrow(() -> new ProblemException(Problem.of(
                "status-list-not-found", "Status list not found", 404, "the issuer has no status list " + listId)));
        ctx.header("Cache-Control", "public, max-age=" + MAX_AGE_SECONDS);
        ctx.header("Vary", "Accept");
        boolean linkedData = wantsLinkedData(ctx.header("Accept"));
        Optional<ObjectNode> secured = linkedData ? linkedDataLists.secured(listId) : Optional.empty();
        // Each Data Integrity copy has its own proof (its own created), so its validator is weak
        // (RFC 9110 §8.8.1): the same list state, not the same bytes.
        String etag = secured.isPresent() ? "W/\"" + signed.etag().replace("\"", "") + "-di\"" : signed.etag();
        ctx.header("ETag", etag);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.strip().equals("*") || ifNoneMatch.contains(etag))) {
            ctx.status(304);
            return;
        }
        if (secured.isPresent()) {
            ctx.contentType(IssuerRoutes.JSON_LD).result(mapper.writeValueAsBytes(secured.get()));
            return;
        }
        ctx.contentType(JwtType.of(signed.jwt()).mediaType()).result(signed.jwt());
    }

    /**
     * Whether the {@code Accept} header names {@code application/ld+json} or {@code application/vc}
     * at least as high as {@code application/json} and above both JWT types. Unlike a credential's own
     * URL, equal quality with JSON counts, since that is what JSON-LD document loaders send; with no
     * such type named (our verifier, browsers, {@code *}{@code /*}) the list stays the JWT.
     */
    static boolean wantsLinkedData(String accept) {
        AcceptHeader header = AcceptHeader.parse(accept);
        for (String type : new String[] {IssuerRoutes.JSON_LD, IssuerRoutes.VC}) {
            double quality = header.quality(type);
            if (quality > 0 && quality >= header.quality(IssuerRoutes.JSON) && quality > header.quality(IssuerRoutes.JWT)
                    && quality > header.quality(JwtType.VC_JWT.mediaType())) {
                return true;
            }
        }
        return false;
    }

    private void change(Context ctx, StatusAction action) throws IOException {
        Caller caller = authenticator.caller(ctx.header("Authorization"), "an administrator's API key");
        if (!caller.admin()) {
            throw new ProblemException(Problem.of("forbidden", "Forbidden", 403,
                    "changing a credential's status needs an administrator's key"));
        }
        String reason = reason(ctx.body());
        String id = ctx.pathParam("id");
        IssuedCredential credential = credentials.find(id).orElseThrow(() -> new ProblemException(Problem.of(
                "credential-not-found", "Credential not found", 404, "no credential has the id " + id)));
        CredentialStatusCommand command = new CredentialStatusCommand(UUID.randomUUID().toString(),
                credential.credentialId(), credential.operatorId(), action, reason, caller.source(), clock.instant());
        commands.send(command);
        ctx.status(202).contentType(IssuerRoutes.JSON).result(mapper.writeValueAsString(Map.of(
                "commandId", command.commandId(),
                "credentialId", command.credentialId(),
                "action", action.id(),
                "requestedAt", command.requestedAt().toString())));
    }

    private String reason(String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        JsonNode reason = json == null ? null : json.get("reason");
        if (reason == null || !reason.isTextual() || reason.asText().isBlank()) {
            throw new ProblemException(Problem.of("invalid-status-change", "Invalid status change", 400,
                    "the body must be a JSON object with a non-empty \"reason\" string"));
        }
        if (reason.asText().length() > MAX_REASON_LENGTH) {
            throw new ProblemException(Problem.of("invalid-status-change", "Invalid status change", 400,
                    "the reason is longer than " + MAX_REASON_LENGTH + " characters"));
        }
        return reason.asText().strip();
    }
}
