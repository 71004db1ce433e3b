package io.credpipe.app.command;

import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SigningAlgorithm;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * How the issuer secures credentials and status lists: on the commands that run the issuer. The
 * algorithm must fit the active key; {@code credpipe keys rotate --signing-algorithm} switches it.
 */
public final class SigningOptions {

    static final String ALGORITHM = "--signing-algorithm";
    static final String TYP = "--jwt-typ";

    @Option(names = ALGORITHM, paramLabel = "ALG", defaultValue = "ES256",
            description = {"JWS algorithm of credentials and status lists: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                    "The active key in <data-dir>/keys must be of that algorithm: a first key is generated for it, "
                            + "and after a change `credpipe keys rotate " + ALGORITHM + " ALG` adds one."})
    SigningAlgorithm algorithm;

    @Option(names = TYP, paramLabel = "TYP", defaultValue = "JWT", converter = TypConverter.class,
            description = {"The typ header of credentials and status lists: JWT (default; what Open Badges 3.0 requires) "
                    + "or vc+jwt (the VC-JOSE-COSE media type; opt-in, strict OB 3.0 validators may refuse it)."})
    JwtType typ;

    /** {@code JWT} or {@code vc+jwt}, as written in the header. */
    static final class TypConverter implements ITypeConverter<JwtType> {
        @Override
        public JwtType convert(String value) {
            return JwtType.parse(value);
        }
    }
}
