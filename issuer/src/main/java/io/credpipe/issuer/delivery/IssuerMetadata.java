package io.credpipe.issuer.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.signing.HolderProof;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The issuer's OpenID4VCI Credential Issuer Metadata (OpenID4VCI 1.0 §12.2, "Credential Issuer
 * Metadata") and the OAuth Authorization Server Metadata of its token endpoint (RFC 8414 §2).
 *
 * <p>One credential configuration per framework level, id {@code {frameworkId}/{level}}, format
 * {@code jwt_vc_json} (Appendix A.1.1: {@code credential_definition.type}), signed as every credential of
 * the issuer is (ES256 by default), bound to a
 * holder key proven with a {@code jwt} proof (ES256 or EdDSA) and named by {@code jwk},
 * {@code did:key} or {@code did:jwk}. Display is given twice: 1.0's
 * {@code credential_metadata.display}, and the configuration-level {@code display} that wallets
 * built on draft 13 read (1.0 moved it; a 1.0 wallet ignores unknown members, §12.2.4).
 */
public final class IssuerMetadata {

    /** The credential format (OpenID4VCI 1.0 Appendix A.1.1). */
    public static final String FORMAT = "jwt_vc_json";
    /** The grant type of the pre-authorized code flow (§4.1.1, §6.1). */
    public static final String PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
    static final String BACKGROUND = "#12355b";
    static final String TEXT = "#ffffff";

    private final WalletEndpoints endpoints;
    private final String issuerName;
    private final String signingAlgorithm;

    /** Metadata of an issuer signing ES256. */
    public IssuerMetadata(WalletEndpoints endpoints, String issuerName) {
        this(endpoints, issuerName, "ES256");
    }

    /** @param signingAlgorithm the JWS {@code alg} the issuer signs credentials with, e.g. {@code ES256} */
    public IssuerMetadata(WalletEndpoints endpoints, String issuerName, String signingAlgorithm) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.issuerName = Objects.requireNonNull(issuerName, "issuerName");
        this.signingAlgorithm = Objects.requireNonNull(signingAlgorithm, "signingAlgorithm");
    }

    /** The configuration id of credentials for {@code level} of framework {@code framework}. */
    public static String configurationId(FrameworkId framework, Level level) {
        return framework + "/" + level.id();
    }

    /** The Credential Issuer Metadata for the frameworks the issuer knows. */
    public ObjectNode issuer(List<Framework> frameworks) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode metadata = json.objectNode();
        metadata.put("credential_issuer", endpoints.issuer());
        metadata.put("credential_endpoint", endpoints.credential());
        metadata.put("nonce_endpoint", endpoints.nonce());
        metadata.put("notification_endpoint", endpoints.notification());
        ArrayNode display = metadata.putArray("display");
        ObjectNode issuerDisplay = display.addObject();
        issuerDisplay.put("name", issuerName);
        issuerDisplay.put("locale", "en");
        issuerDisplay.putObject("logo").put("uri", endpoints.logo()).put("alt_text", issuerName + " logo");
        ObjectNode configurations = metadata.putObject("credential_configurations_supported");
        frameworks.stream().sorted(Comparator.comparing(f -> f.id().toString())).forEach(framework -> {
            for (Level level : Level.values()) {
                configurations.set(configurationId(framework.id(), level), configuration(framework, level));
            }
        });
        return metadata;
    }

    private ObjectNode configuration(Framework framework, Level level) {
        ObjectNode configuration = JsonNodeFactory.instance.objectNode();
        configuration.put("format", FORMAT);
        configuration.putArray("cryptographic_binding_methods_supported").add("jwk").add("did:key").add("did:jwk");
        configuration.putArray("credential_signing_alg_values_supported").add(signingAlgorithm);
        ArrayNode proofAlgorithms = configuration.putObject("proof_types_supported").putObject("jwt")
                .putArray("proof_signing_alg_values_supported");
        HolderProof.ALGORITHMS.forEach(proofAlgorithms::add);
        configuration.putObject("credential_definition").putArray("type")
                .add("VerifiableCredential").add("OpenBadgeCredential");
        ArrayNode display = display(framework, level);
        configuration.putObject("credential_metadata").set("display", display);
        configuration.set("display", display.deepCopy());
        return configuration;
    }

    private ArrayNode display(Framework framework, Level level) {
        ArrayNode display = JsonNodeFactory.instance.arrayNode();
        ObjectNode english = display.addObject();
        english.put("name", framework.title() + ": " + framework.level(level).label());
        english.put("locale", "en");
        english.put("description", framework.level(level).label() + " level of " + framework.title()
                + " (" + framework.id() + "), issued by " + issuerName);
        english.putObject("logo").put("uri", endpoints.logo()).put("alt_text", issuerName + " logo");
        english.put("background_color", BACKGROUND);
        english.put("text_color", TEXT);
        return display;
    }

    /**
     * The Authorization Server Metadata (RFC 8414 §2) of the token endpoint: the pre-authorized code
     * grant only, without client authentication
     * ({@code pre-authorized_grant_anonymous_access_supported}, OpenID4VCI 1.0 §12.3).
     */
    public ObjectNode authorizationServer() {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.put("issuer", endpoints.issuer());
        metadata.put("token_endpoint", endpoints.token());
        metadata.putArray("grant_types_supported").add(PRE_AUTHORIZED_GRANT);
        metadata.putArray("response_types_supported");
        metadata.putArray("token_endpoint_auth_methods_supported").add("none");
        metadata.put("pre-authorized_grant_anonymous_access_supported", true);
        return metadata;
    }
}
