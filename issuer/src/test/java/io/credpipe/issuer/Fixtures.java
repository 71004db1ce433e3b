package io.credpipe.issuer;

import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.credential.SubjectIdentity;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Shared test data: the bundled Chemical Plant and System Operators framework and decisions about it. */
public final class Fixtures {

    public static final PublicUrls URLS = new PublicUrls("https://credentials.example.com");
    public static final IssuerProfile ISSUER = IssuerProfile.of(URLS, "Example Chemicals Training");
    public static final FrameworkId CHEMICAL = FrameworkId.parse("51-8091.00@v.26.05").orElseThrow();
    public static final String EMAIL = "Dana.Ruiz@Example.com";
    public static final Operator DANA = new Operator("acme:E1234", "Dana Ruiz", EMAIL);
    public static final Operator ANONYMOUS = new Operator("acme:E9999", null, null);
    public static final SubjectIdentity SUBJECT = new SubjectIdentity("urn:uuid:7d444840-9dc0-81d4-a4e7-2bc1f5a3b6c1", "salt");
    public static final Instant ACHIEVED_AT = Instant.parse("2026-05-20T09:30:00Z");
    public static final Instant ISSUED_AT = Instant.parse("2026-05-20T09:31:07.123456Z");

    private Fixtures() {}

    public static Framework chemical() {
        return SeedFrameworks.load().stream().filter(f -> f.id().equals(CHEMICAL)).findFirst().orElseThrow();
    }

    /** {@code operator} met {@code level}: every statement of it demonstrated by observation. */
    public static LevelAchieved achieved(Operator operator, Level level, Instant validUntil) {
        List<DemonstratedStatement> statements = new ArrayList<>();
        int n = 0;
        for (Statement statement : chemical().statements(level)) {
            n++;
            statements.add(new DemonstratedStatement(statement.id().toString(), "hr1-" + level.id() + "-" + n,
                    new Assessor("acme:S77", "Sam Assessor"), "observation", ACHIEVED_AT.minusSeconds(3600L * n),
                    validUntil));
        }
        return new LevelAchieved(operator, CHEMICAL, level, 1, statements, ACHIEVED_AT, validUntil,
                LevelPolicy.DEFAULT.ref(), "hr1-" + level.id() + "-" + n);
    }

    public static LevelAchieved proficient(Operator operator) {
        return achieved(operator, Level.PROFICIENT, null);
    }

    public static LevelLost lost(Operator operator, Level level) {
        return new LevelLost(operator, CHEMICAL, level, 1, LossReason.FAILED, "statement failed", ACHIEVED_AT.plusSeconds(60),
                LevelPolicy.DEFAULT.ref(), "hr1-fail-1");
    }
}
