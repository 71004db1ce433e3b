package io.credpipe.issuer.http;

import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.DataIntegritySigner;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.PublishedKeys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The issuer's HTTP routes, a thin adapter:
 *
 * <ul>
 *   <li>{@code GET /.well-known/jwks.json}: the public keys, {@code application/jwk-set+json}
 *       (RFC 7517 §8.5);</li>
 *   <li>{@code GET /keys/{thumbprint}}: one public key, {@code application/jwk+json} (RFC 7517
 *       §8.5); its URL is the {@code kid} of the signatures it verifies;</li>
 *   <li>{@code GET /.well-known/did.json} (or {@code /did.json} when the public base URL has a
 *       path): the {@code did:web} document listing every key, see {@link DidWebDocument};</li>
 *   <li>{@code GET /issuer}: the issuer's Open Badges {@code Profile};</li>
 *   <li>{@code GET /v1/credentials/{id}}: an issued credential, as the compact JWS
 *       ({@code application/jwt}, RFC 7519 §10.3.1, or {@code application/vc+jwt} when its
 *       {@code typ} is {@code vc+jwt}) when the {@code Accept} header prefers either, else
 *       as JSON: the {@code IssuedCredential} record plus the decoded credential.</li>
 *   <li>{@code GET /credentials/{id}}: the same, at the credential's own {@code id} URL, so that it
 *       dereferences (DESIGN.md "Identifiers"); a browser ({@code text/html} preferred) gets the
 *       credential's page, which links to the verification page {@code /verify?url=…}. With
 *       {@code Accept: application/ld+json} (or {@code application/vc}) it is the same credential
 *       with an embedded Data Integrity proof ({@code eddsa-rdfc-2022}), made at each request, see
 *       {@link DataIntegritySigner}; {@code GET /credentials/{id}.ld.json} serves that as a file.</li>
 *   <li>{@code GET /keys/{publicKeyMultibase}}: an Ed25519 key of Data Integrity proofs as a
 *       {@code Multikey} document.</li>
 * </ul>
 */
public final class IssuerRoutes {

    static final String JWK_SET_JSON = "application/jwk-set+json";
    static final String JWK_JSON = "application/jwk+json";
    static final String JWT = "application/jwt";
    static final String JSON = "application/json";
    static final String JSON_LD = "application/ld+json";
    /** VC Data Model 2.0 §6.3's media type of a credential secured with an embedded proof. */
    static final String VC = "application/vc";
    /** The download route's suffix: {@code /credentials/{id}.ld.json} is the Data Integrity form as a file. */
    public static final String LD_JSON_SUFFIX = ".ld.json";

    /** Finds an issued credential by id. */
    @FunctionalInterface
    public interface CredentialLookup {
        /**
         * @throws ProblemException when the store cannot answer now
         */
        Optional<IssuedCredential> find(String credentialId);
    }

    private final ObjectNode profile;
    private final PublishedKeys keys;
    private final CredentialLookup credentials;
    private final ObjectMapper mapper = Json.newMapper();
    private final DidWebDocument did;
    private final PublicPages pages;
    private final DataIntegritySigner dataIntegrity;

    /**
     * @param profile the issuer profile document
     * @param keys the public keys
     * @param credentials where issued credentials are looked up
     */
    public IssuerRoutes(ObjectNode profile, PublishedKeys keys, CredentialLookup credentials, DidWebDocument did) {
        this(profile, keys, credentials, did, null);
    }

    /** As the other constructor, with the credential pages for browsers; {@code pages} may be {@code null}. */
    public IssuerRoutes(ObjectNode profile, PublishedKeys keys, CredentialLookup credentials, DidWebDocument did,
            PublicPages pages) {
        this.pages = pages;
        this.did = Objects.requireNonNull(did, "did");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.dataIntegrity = keys.dataIntegritySigner(did.did(), DataIntegritySigner.suite(), Clock.systemUTC());
    }

    public void addTo(Javalin http) {
        http.get("/.well-known/jwks.json", this::jwks);
        http.get("/keys/{thumbprint}", this::key);
        http.get(did.documentPath(), this::didDocument);
        http.get("/issuer", this::issuer);
        http.get("/v1/credentials/{id}", this::credential);
        http.get("/credentials/{id}", this::credential);
    }

    private void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType(JWK_SET_JSON).result(keys.jwksJson());
    }

    private void key(Context ctx) throws JsonProcessingException {
        String thumbprint = ctx.pathParam("thumbprint");
        Optional<ObjectNode> multikey = keys.multikey(thumbprint, did.did());
        if (multikey.isPresent()) {
            ctx.header("Cache-Control", "public, max-age=300");
            ctx.contentType(JSON).result(mapper.writeValueAsString(multikey.get()));
            return;
        }
        String key = keys.publicKeyJson(thumbprint).orElseThrow(() -> new ProblemException(Problem.of(
                "key-not-found", "Key not found", 404, "the issuer has no key " + thumbprint)));
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType(JWK_JSON).result(key);
    }

    private void didDocument(Context ctx) throws JsonProcessingException {
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType("application/did+json").result(mapper.writeValueAsString(did.document(keys)));
    }

    private void issuer(Context ctx) throws JsonProcessingException {
        ObjectNode document = mapper.createObjectNode();
        document.set("@context", mapper.createArrayNode()
                .add(CredentialAssembler.VC_CONTEXT)
                .add(CredentialAssembler.OB_CONTEXT));
        document.setAll(profile);
        ctx.contentType(JSON).result(mapper.writeValueAsString(document));
    }

    private void credential(Context ctx) throws JsonProcessingException {
        String requested = ctx.pathParam("id");
        boolean download = requested.endsWith(LD_JSON_SUFFIX);
        String id = download ? requested.substring(0, requested.length() - LD_JSON_SUFFIX.length()) : requested;
        IssuedCredential issued = credentials.find(id).orElseThrow(() -> new ProblemException(Problem.of(
                "credential-not-found", "Credential not found", 404, "no credential has the id " + id)));
        ctx.header("Vary", "Accept");
        if (download || !FrameworkRoutes.prefersHtml(ctx.header("Accept")) && prefersLinkedData(ctx.header("Accept"))) {
            // Made now from the stored credential: same id and status entry, a fresh proof each time.
            ctx.header("Cache-Control", "no-store");
            if (download) {
                ctx.header("Content-Disposition", "attachment; filename=\"" + id + LD_JSON_SUFFIX + "\"");
            }
            // Bytes, not a String: for a type without a charset parameter the server would pick ISO-8859-1.
            ctx.contentType(JSON_LD).result(mapper.writeValueAsBytes(dataIntegrity.secure(issued)));
            return;
        }
        if (pages != null && FrameworkRoutes.prefersHtml(ctx.header("Accept"))) {
            PublicPages.html(ctx, pages.credentialHtml(issued));
            return;
        }
        if (prefersJwt(ctx.header("Accept"))) {
            ctx.contentType(JwtType.of(issued.jwt()).mediaType()).result(issued.jwt());
            return;
        }
        ObjectNode view = mapper.valueToTree(issued);
        view.set("credential", CredentialSigner.signedDocument(issued.jwt()));
        ctx.contentType(JSON).result(mapper.writeValueAsString(view));
    }

    /**
     * Whether the {@code Accept} header asks for the JSON-LD form with an embedded proof:
     * {@code application/ld+json} or {@code application/vc} (VC Data Model 2.0 §6.3) preferred over
     * the JWT types and plain JSON.
     */
    static boolean prefersLinkedData(String accept) {
        AcceptHeader header = AcceptHeader.parse(accept);
        for (String type : new String[] {JSON_LD, VC}) {
            if (header.prefers(type, JSON) && header.prefers(type, JWT) && header.prefers(type, JwtType.VC_JWT.mediaType())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an RFC 9110 §12.5.1 {@code Accept} header asks for {@code application/jwt} or
     * {@code application/vc+jwt} over JSON: its quality is positive, higher than
     * {@code application/json}'s, and at least that of the wildcards ({@code application/*},
     * {@code *}{@code /*}), so that naming it next to a wildcard counts. JSON is the default. The
     * JWS is served as the type its {@code typ} names (see {@link JwtType#of}), whichever was asked.
     */
    static boolean prefersJwt(String accept) {
        if (prefersLinkedData(accept)) {
            return false;
        }
        AcceptHeader header = AcceptHeader.parse(accept);
        return header.prefers(JWT, JSON) || header.prefers(JwtType.VC_JWT.mediaType(), JSON);
    }
}
