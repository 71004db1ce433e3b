package io.credpipe.model.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.credpipe.model.problem.ProblemException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final String KEY = "k3y-0f-hr1";
    private final Authenticator keys = apiKey -> KEY.equals(apiKey) ? Optional.of(new Caller("hr1", false)) : Optional.empty();

    @Test
    void aKnownBearerTokenNamesItsCaller() {
        assertThat(keys.caller("Bearer " + KEY, "an API key")).isEqualTo(new Caller("hr1", false));
        assertThat(keys.caller("bearer   " + KEY + " ", "an API key")).isEqualTo(new Caller("hr1", false));
    }

    @Test
    void noHeaderIsABareBearerChallenge() {
        ProblemException missing = catchThrowableOfType(ProblemException.class, () -> keys.caller(null, "an API key"));

        assertThat(missing.problem().status()).isEqualTo(401);
        assertThat(missing.problem().detail()).contains("an API key");
        assertThat(missing.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"credpipe\"");
    }

    @Test
    void anUnknownKeyOrAnotherSchemeIsAnInvalidToken() {
        for (String header : new String[] {"Bearer nope", "Basic " + KEY, KEY}) {
            ProblemException refused = catchThrowableOfType(ProblemException.class, () -> keys.caller(header, "an API key"));

            assertThat(refused.problem().status()).isEqualTo(401);
            assertThat(refused.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"");
            assertThat(refused.problem().detail()).doesNotContain(KEY);
        }
    }
}
