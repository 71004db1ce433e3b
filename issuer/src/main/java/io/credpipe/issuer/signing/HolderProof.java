package io.credpipe.issuer.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a wallet's key proof of the {@code jwt} proof type (OpenID4VCI 1.0 Appendix F.1) and names
 * the holder it proves:
 *
 * <ul>
 *   <li>{@code typ} {@code openid4vci-proof+jwt}; {@code alg} ES256 (P-256) or EdDSA/Ed25519, the
 *       algorithms the issuer metadata lists under {@code proof_signing_alg_values_supported};</li>
 *   <li>exactly one of {@code jwk} (a public key) or {@code kid} (a {@code did:key} or
 *       {@code did:jwk} DID URL); {@code x5c} and {@code trust_chain} are not accepted;</li>
 *   <li>a valid signature by that key;</li>
 *   <li>{@code aud} the Credential Issuer Identifier; {@code iat} not in the future (beyond a minute's
 *       clock skew) nor older than {@link #MAX_AGE}; {@code nonce} present (this issuer has a Nonce
 *       Endpoint, so F.1 requires it). Whether the nonce is fresh is the caller's check.</li>
 * </ul>
 *
 * The holder is the {@code kid}'s DID, or the {@code did:jwk} of the {@code jwk}.
 */
public final class HolderProof {

    /** The {@code typ} of a key proof JWT (Appendix F.1). */
    public static final String TYPE = "openid4vci-proof+jwt";
    /** The proof signing algorithms accepted, as the issuer metadata lists them. */
    public static final List<String> ALGORITHMS = List.of("ES256", "EdDSA");
    /** How old a proof may be by its {@code iat}. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration SKEW = Duration.ofMinutes(1);
    /** RFC 9864 names Ed25519 signatures {@code Ed25519}; older wallets say {@code EdDSA}. */
    private static final Set<String> ED25519_ALGORITHMS = Set.of("EdDSA", "Ed25519");
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4) before the 32 key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /**
     * A proof that checked out.
     *
     * @param holder the holder's DID
     * @param nonce the proof's {@code nonce}
     * @param key the holder's public key
     */
    public record Verified(String holder, String nonce, JWK key) {}

    /** Why a proof was refused; the credential endpoint answers {@code invalid_proof}. */
    public static final class Rejected extends Exception {
        public Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private HolderProof() {}

    /**
     * Checks {@code jwt} as a key proof for {@code audience} at {@code now}.
     *
     * @throws Rejected with the reason, when any check fails
     */
    public static Verified verify(String jwt, String audience, Instant now) throws Rejected {
        Objects.requireNonNull(audience, "audience");
        SignedJWT proof;
        JWTClaimsSet claims;
        try {
            proof = SignedJWT.parse(jwt);
            claims = proof.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new Rejected("the proof is not a signed JWT");
        }
        JWSHeader header = proof.getHeader();
        if (!new JOSEObjectType(TYPE).equals(header.getType())) {
            throw new Rejected("the proof's typ is not " + TYPE);
        }
        String alg = header.getAlgorithm().getName();
        if (!alg.equals("ES256") && !ED25519_ALGORITHMS.contains(alg)) {
            throw new Rejected("the proof's alg " + alg + " is not one of " + ALGORITHMS);
        }
        if (header.getX509CertChain() != null || header.getCustomParam("trust_chain") != null) {
            throw new Rejected("x5c and trust_chain proofs are not accepted; use jwk or a did:key/did:jwk kid");
        }
        JWK key;
        String holder;
        if (header.getJWK() != null && header.getKeyID() != null) {
            throw new Rejected("the proof names its key twice (jwk and kid)");
        } else if (header.getJWK() != null) {
            key = header.getJWK();
            if (key.isPrivate()) {
                throw new Rejected("the proof's jwk holds a private key");
            }
            holder = HolderDid.didJwk(key);
        } else if (header.getKeyID() != null) {
            try {
                key = HolderDid.publicKey(header.getKeyID());
            } catch (IllegalArgumentException e) {
                throw new Rejected("the proof's kid is not a did:key or did:jwk of a P-256 or Ed25519 key");
            }
            holder = HolderDid.withoutFragment(header.getKeyID());
        } else {
            throw new Rejected("the proof names no key (jwk or kid)");
        }
        if (!signatureValid(proof, alg, key)) {
            throw new Rejected("the proof's signature does not verify with its key");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            throw new Rejected("the proof's aud is not this Credential Issuer (" + audience + ")");
        }
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw new Rejected("the proof has no iat");
        }
        Instant issued = iat.toInstant();
        if (issued.isAfter(now.plus(SKEW)) || issued.isBefore(now.minus(MAX_AGE))) {
            throw new Rejected("the proof's iat is not within " + MAX_AGE.toMinutes() + " minutes of now");
        }
        Object nonce = claims.getClaim("nonce");
        if (!(nonce instanceof String text) || text.isEmpty()) {
            throw new Rejected("the proof has no nonce; get a c_nonce from the Nonce Endpoint");
        }
        return new Verified(holder, text, key);
    }

    private static boolean signatureValid(SignedJWT proof, String alg, JWK key) throws Rejected {
        try {
            if (alg.equals("ES256")) {
                if (!(key instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
                    throw new Rejected("an ES256 proof needs a P-256 key");
                }
                return proof.getHeader().getAlgorithm().equals(JWSAlgorithm.ES256) && proof.verify(new ECDSAVerifier(ec));
            }
            if (!(key instanceof OctetKeyPair okp) || !Curve.Ed25519.equals(okp.getCurve())) {
                throw new Rejected("an EdDSA proof needs an Ed25519 key");
            }
            return ed25519(okp, proof);
        } catch (JOSEException e) {
            return false;
        }
    }

    /** Ed25519 with the JDK's own provider (Java 15+), so no optional Nimbus dependency is needed. */
    private static boolean ed25519(OctetKeyPair key, SignedJWT proof) {
        byte[] raw = key.getX().decode();
        if (raw.length != 32) {
            return false;
        }
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
        try {
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(proof.getSigningInput());
            return verifier.verify(proof.getSignature().decode());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

}
