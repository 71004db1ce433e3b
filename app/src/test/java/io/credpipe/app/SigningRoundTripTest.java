package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.signing.SigningAlgorithm;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.jws.TrustedKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuer's own signer against the employer's verifier, with no Kafka in between: every
 * algorithm and {@code typ} the issuer can be configured with verifies against the JWK set it
 * publishes after rotating between key types, and a changed character still fails.
 */
class SigningRoundTripTest {

    private static final PublicUrls URLS = new PublicUrls("https://credentials.example.com");
    private static final Instant ISSUED = Instant.parse("2026-05-21T08:00:00Z");
    private static final Operator DANA = new Operator("acme:E1234", "Dana Ruiz", "dana@example.com");

    @TempDir
    Path temp;

    private static LevelAchieved achieved(Framework framework, Level level) {
        List<DemonstratedStatement> statements = new ArrayList<>();
        int n = 0;
        for (Statement statement : framework.statements(level)) {
            n++;
            statements.add(new DemonstratedStatement(statement.id().toString(), "hr1-" + n,
                    new Assessor("acme:S77", "Sam Assessor"), "observation", ISSUED.minusSeconds(3600L * n), null));
        }
        return new LevelAchieved(DANA, framework.id(), level, 1, statements, ISSUED.minusSeconds(60), null,
                LevelPolicy.DEFAULT.ref(), "hr1-" + n);
    }

    @Test
    void everyAlgorithmAndTypVerifiesAgainstTheMixedPublishedKeys() throws Exception {
        Framework framework = SeedFrameworks.load().get(0);
        CredentialAssembler assembler = new CredentialAssembler(IssuerProfile.of(URLS, "Example"), URLS);
        IssuerKeys keys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        List<IssuedCredential> issued = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Level[] levels = Level.values();
        int next = 0;
        // ES256 first, then RS256 after a rotation, then ES256 again: each credential by the key active then.
        for (SigningAlgorithm algorithm : List.of(SigningAlgorithm.ES256, SigningAlgorithm.RS256, SigningAlgorithm.ES256)) {
            if (keys.activeAlgorithm() != algorithm) {
                keys = keys.rotate(algorithm);
            }
            for (JwtType type : JwtType.values()) {
                CredentialIssuer issuer = new CredentialIssuer(assembler, keys.identitySalts(),
                        new PublishedKeys(keys, URLS).signer(algorithm, type), Clock.fixed(ISSUED, ZoneOffset.UTC));
                issued.add(issuer.issue(achieved(framework, levels[next++ % levels.length]), framework));
                labels.add(algorithm + " typ " + type);
            }
        }
        CredentialVerifier verifier = CredentialVerifier.builder()
                .trustedKeys(TrustedKeys.of(new PublishedKeys(keys, URLS).jwks()))
                .clock(Clock.fixed(ISSUED.plusSeconds(3600), ZoneOffset.UTC))
                .checkStatus(false)
                .build();

        for (int i = 0; i < issued.size(); i++) {
            String jwt = issued.get(i).jwt();
            VerificationReport report = verifier.verify(jwt);
            assertThat(report.verified()).as(labels.get(i) + "\n" + report.describe()).isTrue();
            assertThat(report.summary().orElseThrow().algorithm()).isEqualTo(labels.get(i).substring(0, 5));
            assertThat(report.check(Check.HEADER).orElseThrow().detail()).endsWith(labels.get(i).substring(10));

            int position = jwt.length() / 2;
            String tampered = jwt.substring(0, position) + (jwt.charAt(position) == 'A' ? 'B' : 'A')
                    + jwt.substring(position + 1);
            assertThat(verifier.verify(tampered).verified()).as(labels.get(i) + " tampered").isFalse();
        }
        assertThat(new PublishedKeys(keys, URLS).jwks().getKeys()).extracting(key -> key.getKeyType().getValue())
                .containsExactly("EC", "RSA", "EC");
    }
}
