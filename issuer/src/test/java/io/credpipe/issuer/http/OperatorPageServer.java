package io.credpipe.issuer.http;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.ProblemServer;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.issuer.delivery.InMemoryLinkStore;
import io.credpipe.issuer.delivery.LinkValidity;
import io.credpipe.issuer.delivery.OperatorProgress;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Statement;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Javalin server with the access-link routes and operators' pages, over an in-memory link
 * store, credentials signed with a real key and a revocation list. Dana holds Emerging (valid, never
 * expires), Developing (valid, expires in 20 days), an older Proficient that was revoked; her
 * progress: Emerging and Developing met, Proficient 7 of 10, Advanced none.
 */
final class OperatorPageServer implements AutoCloseable {

    static final String HR_KEY = "hr1-key";
    static final Instant NOW = Instant.parse("2026-05-21T08:00:00Z");

    final Map<String, List<IssuedCredential>> byOperator = new HashMap<>();
    final Map<String, StatusListState> lists = new HashMap<>();
    final InMemoryLinkStore store = new InMemoryLinkStore();
    final AccessLinks links;
    final Javalin http;
    final IssuedCredential emerging;
    final IssuedCredential developing;
    final IssuedCredential proficient;
    private final String base;

    OperatorPageServer(Path temp) throws IOException {
        this(temp, null);
    }

    /** With {@code guesses}, guessing link tokens is held back as in the pipeline. */
    OperatorPageServer(Path temp, io.credpipe.issuer.delivery.GuessLimiter guesses) throws IOException {
        Javalin server = ProblemServer.create();
        if (guesses != null) {
            new GuessGuard(guesses).guardNotFound(server, io.credpipe.issuer.delivery.AccessLinks.PATH_PREFIX + "*");
        }
        server.start("127.0.0.1", 0);
        http = server;
        base = "http://127.0.0.1:" + server.port();
        PublicUrls urls = new PublicUrls(base);
        IssuerKeys issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        PublishedKeys keys = new PublishedKeys(issuerKeys, urls);
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(ISSUER, urls), issuerKeys.identitySalts(),
                keys.signer(), Clock.fixed(NOW, ZoneOffset.UTC));
        StatusLists statusLists = new StatusLists(urls);
        lists.put("0-0", StatusLists.empty("0-0", NOW));
        emerging = issue(issuer, statusLists, Level.EMERGING, 1, null, false);
        proficient = issue(issuer, statusLists, Level.PROFICIENT, 3, null, true);
        developing = issue(issuer, statusLists, Level.DEVELOPING, 2, NOW.plus(Duration.ofDays(20)), false);
        links = new AccessLinks(store, LinkValidity.defaults(), new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC), base);
        Authenticator hrKeys = key -> HR_KEY.equals(key) ? Optional.of(new Caller("hr1", false)) : Optional.empty();
        OperatorRecordRoutes.Records records = operatorId -> CredentialRecord.of(
                byOperator.getOrDefault(operatorId, List.of()), statusLists, id -> Optional.ofNullable(lists.get(id)));
        Framework chemical = Fixtures.chemical();
        new PublicPages(ISSUER, urls, new DidWebDocument(urls), () -> List.of(chemical)).addTo(server);
        new AccessLinkRoutes(hrKeys, links).addTo(server);
        new OperatorPageRoutes(links, records, this::progress,
                id -> id.equals(chemical.id()) ? Optional.of(chemical) : Optional.empty(), base,
                Clock.fixed(NOW, ZoneOffset.UTC)).addTo(server);
    }

    String base() {
        return base;
    }

    /** A new link to Dana's page. */
    String danasPage() {
        return links.create(DANA.id(), "test", null).url();
    }

    private IssuedCredential issue(CredentialIssuer issuer, StatusLists statusLists, Level level, int index,
            Instant validUntil, boolean revoked) {
        LevelAchieved achievement = Fixtures.achieved(DANA, level, validUntil);
        IssuedCredential issued = issuer.issue(achievement, Fixtures.chemical(), statusLists.entry("0-0", index));
        if (revoked) {
            StatusListState list = lists.get("0-0");
            lists.put("0-0", new StatusListState("0-0", list.purpose(), list.length(),
                    StatusLists.bits(list).withStatus(index, 1).encode(), NOW));
        }
        byOperator.computeIfAbsent(DANA.id(), id -> new ArrayList<>()).add(issued);
        return issued;
    }

    private Optional<List<OperatorProgress.FrameworkLadder>> progress(String operatorId) {
        if (!operatorId.equals(DANA.id())) {
            return Optional.of(List.of());
        }
        Framework chemical = Fixtures.chemical();
        List<OperatorProgress.Rung> rungs = new ArrayList<>();
        rungs.add(rung(chemical, Level.EMERGING, 10, true, null));
        rungs.add(rung(chemical, Level.DEVELOPING, 10, true, NOW.plus(Duration.ofDays(20))));
        rungs.add(rung(chemical, Level.PROFICIENT, 7, false, null));
        rungs.add(rung(chemical, Level.ADVANCED, 0, false, null));
        return Optional.of(List.of(new OperatorProgress.FrameworkLadder(chemical.id(), rungs)));
    }

    private static OperatorProgress.Rung rung(Framework framework, Level level, int demonstrated, boolean met,
            Instant validUntil) {
        List<DemonstratedStatement> shown = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int n = 0;
        for (Statement statement : framework.statements(level)) {
            if (n++ < demonstrated) {
                shown.add(new DemonstratedStatement(statement.id().toString(), "e" + n, new Assessor("acme:S77", null),
                        "observation", NOW.minus(Duration.ofDays(30)), validUntil));
            } else {
                missing.add(statement.id().toString());
            }
        }
        return new OperatorProgress.Rung(level, met, shown, missing, met ? validUntil : null);
    }

    @Override
    public void close() {
        http.stop();
    }
}
