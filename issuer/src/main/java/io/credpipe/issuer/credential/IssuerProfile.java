package io.credpipe.issuer.credential;

import io.credpipe.model.credential.DidWeb;
import io.credpipe.model.credential.PublicUrls;
import java.util.Objects;

/**
 * Who issues credpipe credentials: the Open Badges 3.0 {@code Profile} that appears as a
 * credential's {@code issuer} and an achievement's {@code creator}.
 *
 * <p>Its {@code id} is the issuer's {@code did:web} DID, derived from the recorded public base URL,
 * not the profile's URL {@code {base}/issuer} (which still serves this profile): Data Integrity
 * verifiers (the DCC's verifier-core behind VerifierPlus and the Learner Credential Wallet, Digital
 * Bazaar's vc library) require the credential's {@code issuer} to equal the controller of the proof's
 * verification method (VC Data Integrity 1.0 §4.3 step "verify the proof purpose": the
 * {@code assertionMethod} relationship is the issuer's, and VC Data Model 2.0 §4.7 lets the issuer be
 * any URL, a DID included), and the Ed25519 key is a method of the DID document. The JWT securing
 * must name the same issuer: OB 3.0 "JWT Proof" (https://www.imsglobal.org/spec/ob/v3p0/#jwt-proof) makes {@code iss} the
 * {@code issuer.id}. {@code url} keeps the https home page.
 *
 * @param id the issuer's DID (an older deployment's credentials carry {@code {base}/issuer}); also
 *           the {@code iss} claim of every credential JWT
 * @param name the issuing organisation's display name
 * @param url the organisation's home page
 */
public record IssuerProfile(String id, String name, String url) {

    public IssuerProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the issuer needs a name");
        }
    }

    /**
     * The profile published at {@link PublicUrls#issuerProfile()}: the {@code did:web} DID of the
     * public base URL as id, the base URL as home page.
     */
    public static IssuerProfile of(PublicUrls urls, String name) {
        return new IssuerProfile(DidWeb.of(urls.base()), name, urls.base());
    }
}
