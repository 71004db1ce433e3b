package io.credpipe.verifier.fuzz;

/**
 * One generated input: its mutation kind (for the counts in docs/reliability.md), the text handed to
 * the verifier, and what the verifier must at least say about it.
 *
 * @param kind   the mutation, e.g. {@code jwt.alg-none}
 * @param text   the credential (or, for status list mutations, the list served) as text
 * @param expect what must be reported
 */
public record Mutant(String kind, String text, Expect expect) {

    /** What a verifier must report. Every expectation excludes "verified". */
    public enum Expect {
        /** Anything but verified: the signed content changed or was never signed by the issuer. */
        NOT_VERIFIED,
        /** The status check could not tell: the list is not validly signed, not readable or not usable. */
        STATUS_CANNOT_TELL,
        /** The status check failed: a list validly signed by the issuer says revoked. */
        STATUS_REVOKED
    }
}
