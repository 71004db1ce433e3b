package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.credential.CredentialPayload;
import java.util.List;

/**
 * {@link Check#CREDENTIAL}: the payload is a VC 2.0 / Open Badges 3.0 credential (OB 3.0 B.1.2,
 * B.1.3), or a CLR 2.0 learner record whose bundled credentials its issuer vouches for.
 */
public final class CredentialFormCheck implements CredentialCheck<CredentialPayload> {

    @Override
    public String name() {
        return Check.CREDENTIAL;
    }

    @Override
    public Check check(CredentialPayload credential) {
        if (credential.isLearnerRecord()) {
            List<String> problems = credential.learnerRecordProblems();
            if (!problems.isEmpty()) {
                return Check.failed(name(), String.join("; ", problems));
            }
            int bundled = credential.bundled().size();
            return Check.passed(name(), String.join(", ", credential.types()) + " (CLR 2.0) bundling " + bundled
                    + (bundled == 1 ? " credential" : " credentials") + " of its issuer");
        }
        List<String> problems = credential.problems();
        return problems.isEmpty()
                ? Check.passed(name(), String.join(", ", credential.types()) + " (VC 2.0, Open Badges 3.0)")
                : Check.failed(name(), String.join("; ", problems));
    }
}
