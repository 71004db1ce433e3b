package io.credpipe.issuer.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Signs the copy of a credential a wallet receives: the same credential, same {@code id}, dates,
 * achievement and status entry, so revoking the original revokes every copy, with
 * {@code credentialSubject.id} (and so the JWT {@code sub}, see {@link CredentialSigner}) replaced by
 * the holder's DID (DESIGN.md, Identifiers), and signed now with the issuer's active key.
 */
public final class WalletCopies {

    private final CredentialSigner signer;

    public WalletCopies(CredentialSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * The copy of {@code originalJwt} (a credential this issuer signed) bound to {@code holderDid}.
     *
     * @throws IllegalArgumentException when the original has no {@code credentialSubject} object
     */
    public SignedCredential bind(String originalJwt, String holderDid) {
        Objects.requireNonNull(holderDid, "holderDid");
        ObjectNode credential = CredentialSigner.signedDocument(originalJwt);
        JsonNode subject = credential.get("credentialSubject");
        if (!(subject instanceof ObjectNode subjectObject)) {
            throw new IllegalArgumentException("the credential has no credentialSubject object");
        }
        subjectObject.put("id", holderDid);
        return signer.sign(credential);
    }
}
