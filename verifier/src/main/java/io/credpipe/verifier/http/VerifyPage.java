package io.credpipe.verifier.http;

/**
 * Everything the verification page template shows: the form, pre-filled with what was sent, and
 * the result card or the reason the input could not be read.
 *
 * @param url    the credential URL typed, or empty
 * @param result the result card, or {@code null} before anything was verified
 * @param error  why what was sent could not be read, or {@code null}
 */
public record VerifyPage(String url, ResultCard result, String error) {

    /** The empty form. */
    public static VerifyPage form() {
        return new VerifyPage("", null, null);
    }

    /** @return the page title */
    public String title() {
        if (result != null) {
            return result.headline().title() + " — credential verification";
        }
        return error != null ? "Cannot read the credential — credential verification" : "Verify a credential";
    }
}
