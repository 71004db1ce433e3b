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
 *       list has not arrived) and {@code jwt}. An operator without credentials has an empty list.</li>
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
    private final ObjectMapper mapper = Json.newMapper();

    public OperatorRecordRoutes(Authenticator authenticator, Records records, Clrs clrs) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.records = Objects.requireNonNull(records, "records");
        this.clrs = Objects.requireNonNull(clrs, "clrs");
    }

    public void addTo(Javalin http) {
        http.get("/v1/operators/{id}/credentials", this::credentials);
        http.get("/v1/operators/{id}/clr", this::clr);
    }

    private void credentials(Context ctx) throws JsonProcessingException {
        authenticator.caller(ctx.header("Authorization"), KEY_HINT);
        String operatorId = ctx.pathParam("id");
        ObjectNode body = mapper.createObjectNode();
        body.put("operatorId", operatorId);
        ArrayNode list = body.putArray("credentials");
        for (CredentialRecord record : records.of(operatorId)) {
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
            item.put("jwt", issued.jwt());
        }
        ctx.contentType(IssuerRoutes.JSON).result(mapper.writeValueAsString(body));
    }

    private void clr(Context ctx) throws JsonProcessingException {
        authenticator.caller(ctx.header("Authorization"), KEY_HINT);
        String operatorId = ctx.pathParam("id");
        // ?bundled=data-integrity: each bundled credential carries its own eddsa-rdfc-2022 proof.
        boolean dataIntegrity = "data-integrity".equals(ctx.queryParam("bundled"));
        SignedCredential clr = clrs.of(operatorId, dataIntegrity).orElseThrow(() -> new ProblemException(Problem.of(
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
