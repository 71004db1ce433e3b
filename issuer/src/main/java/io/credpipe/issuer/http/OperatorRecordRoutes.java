package io.credpipe.issuer.http;

import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SignedCredential;
import io.credpipe.issuer.status.CredentialRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.event.OperatorRegistry;
import io.credpipe.model.page.Page;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's records over HTTP, a thin adapter, answered by any issuer instance:
 *
 * <ul>
 *   <li>{@code GET /v1/operators/{id}/credentials}: {@code {"operatorId": …, "credentials": […]}},
 *       oldest first, each with its id, {@code url} (serving the compact JWS by {@code Accept}),
 *       framework, level, sequence, {@code issuedAt}, {@code validUntil}, {@code status}
 *       ({@code valid}, {@code suspended}, {@code revoked}, or {@code unknown} while its status
 *       list has not arrived) and {@code jwt} (left out with {@code ?fields=summary}). Paged:
 *       {@code ?limit=} (default 100, at most 1000) and the opaque {@code cursor} of the
 *       {@code next} link (also a {@code Link: rel="next"} header). An operator the pipeline never
 *       heard of is 404 {@code operator-not-found}; one on record without credentials has an
 *       empty list.</li>
 *   <li>{@code GET /v1/operators/{id}/clr}: the signed CLR 2.0 {@code ClrCredential} of the
 *       operator's current credentials (see {@link io.credpipe.issuer.credential.ClrAssembler}): the compact JWS
 *       ({@code application/jwt}, or {@code application/vc+jwt} when signed with {@code typ: vc+jwt})
 *       when the {@code Accept} header prefers either, else JSON
 *       {@code {"jwt": …, "credential": …}}; with {@code ?bundled=data-integrity} every bundled
 *       credential carries its own embedded {@code eddsa-rdfc-2022} proof, so it verifies when taken
 *       out of the record; 404 {@code clr-not-found} when no credential is
 *       current.</li>
 * </ul>
 *
 * <p>Both need an API key ({@code Authorization: Bearer}, any HR source's or an administrator's):
 * they are looked up by the HR system's employee number, which is easy to guess, and answer with
 * the operator's name and credentials, current and revoked, in one answer. A credential itself stays
 * public at its own URL, which verifiers dereference.
 */
public final class OperatorRecordRoutes {

    /** An operator's credentials with their standing. */
    @FunctionalInterface
    public interface Records {
        /**
         * @throws ProblemException when the stores cannot answer now
         */
        List<CredentialRecord> of(String operatorId);
    }

    /** An operator's signed CLR. */
    @FunctionalInterface
    public interface Clrs {
        /**
         * @throws ProblemException when the stores cannot answer now
         */
        Optional<SignedCredential> of(String operatorId, boolean dataIntegrity);
    }

    /** What a client is told to send. */
    static final String KEY_HINT = "an API key of an HR source or an administrator";

    private final Authenticator authenticator;
    private final Records records;
    private final Clrs clrs;
    private final OperatorRegistry operators;
    private final ObjectMapper mapper = Json.newMapper();

    /**
     * @param authenticator who may ask
     * @param records       an operator's credentials
     * @param clrs          an operator's signed CLR
     * @param operators     which operators the pipeline has heard of, to tell an unknown operator
     *                      (404) from one with no credential yet (an empty list)
     */
    public OperatorRecordRoutes(Authenticator authenticator, Records records, Clrs clrs, OperatorRegistry operators) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.records = Objects.requireNonNull(records, "records");
        this.clrs = Objects.requireNonNull(clrs, "clrs");
        this.operators = Objects.requireNonNull(operators, "operators");
    }

    public void addTo(Javalin http) {
        http.get("/v1/operators/{id}/credentials", this::credentials);
        http.get("/v1/operators/{id}/clr", this::clr);
    }

    private void credentials(Context ctx) throws JsonProcessingException {
        authenticator.caller(ctx.header("Authorization"), KEY_HINT);
        String operatorId = ctx.pathParam("id");
        Page.Request request = Page.Request.of(ctx.queryParam("limit"), ctx.queryParam("cursor"));
        String fields = ctx.queryParam("fields");
        if (fields != null && !fields.equals("summary")) {
            throw new ProblemException(Problem.of("invalid-query", "Invalid query parameter", 400,
                    "fields may only be summary (every field but jwt)").withErrors(List.of(new Problem.FieldError("fields", "must be summary"))));
        }
        boolean summary = fields != null;
        List<CredentialRecord> all = records.of(operatorId);
        if (all.isEmpty()) {
            requireOnRecord(operators, operatorId);
        }
        Page<CredentialRecord> page = Page.of(all, r -> r.issued().credentialId(), request);
        ObjectNode body = mapper.createObjectNode();
        body.put("operatorId", operatorId);
        ArrayNode list = body.putArray("credentials");
        for (CredentialRecord record : page.items()) {
            IssuedCredential issued = record.issued();
            ObjectNode item = list.addObject();
            item.put("id", issued.credentialId());
            item.put("url", record.credential().path("id").asText());
            item.put("framework", issued.framework().toString());
            item.put("level", issued.level().id());
            item.put("sequence", issued.sequence());
            item.put("issuedAt", CredentialAssembler.timestamp(issued.issuedAt()));
            if (issued.validUntil() != null) {
                item.put("validUntil", CredentialAssembler.timestamp(issued.validUntil()));
            } else {
                item.putNull("validUntil");
            }
            item.put("status", record.status());
            if (!summary) {
                item.put("jwt", issued.jwt());
            }
        }
        String next = page.nextLink(ctx.path(), request);
        if (next != null) {
            next += summary ? "&fields=summary" : "";
            body.put("next", next);
            ctx.header("Link", "<" + next + ">; rel=\"next\"");
        }
        ctx.contentType(IssuerRoutes.JSON).result(mapper.writeValueAsString(body));
    }

    /**
     * Refuses an operator the pipeline never heard of (404), or answers 503 when that cannot be told
     * yet, so that an empty answer always means "known, nothing here yet".
     */
    static void requireOnRecord(OperatorRegistry operators, String operatorId) {
        switch (operators.lookup(operatorId)) {
            case ON_RECORD -> { }
            case UNKNOWN -> throw new ProblemException(Problem.of("operator-not-found", "No such operator", 404,
                    "no assessment event about operator " + operatorId + " was ever accepted"));
            case NOT_READY -> throw new ProblemException(Problem.of("operators-unavailable", "Operators not read yet", 503,
                    "the issuer is still reading which operators are on record; retry shortly"), java.util.Map.of("Retry-After", "2"));
        }
    }

    private void clr(Context ctx) throws JsonProcessingException {
        authenticator.caller(ctx.header("Authorization"), KEY_HINT);
        String operatorId = ctx.pathParam("id");
        // ?bundled=data-integrity: each bundled credential carries its own eddsa-rdfc-2022 proof.
        boolean dataIntegrity = "data-integrity".equals(ctx.queryParam("bundled"));
        Optional<SignedCredential> signed = clrs.of(operatorId, dataIntegrity);
        if (signed.isEmpty()) {
            requireOnRecord(operators, operatorId);
        }
        SignedCredential clr = signed.orElseThrow(() -> new ProblemException(Problem.of(
                "clr-not-found", "No learner record", 404,
                "the operator " + operatorId + " holds no current credential to bundle")));
        ctx.header("Vary", "Accept");
        if (IssuerRoutes.prefersJwt(ctx.header("Accept"))) {
            ctx.contentType(JwtType.of(clr.jwt()).mediaType()).result(clr.jwt());
            return;
        }
        ObjectNode view = mapper.createObjectNode();
        view.put("jwt", clr.jwt());
        view.set("credential", CredentialSigner.signedDocument(clr.jwt()));
        ctx.contentType(IssuerRoutes.JSON).result(mapper.writeValueAsString(view));
    }
}
