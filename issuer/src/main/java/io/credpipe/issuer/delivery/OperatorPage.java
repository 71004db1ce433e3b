package io.credpipe.issuer.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.issuer.status.Renewals;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.framework.StatementId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What an operator sees on their private page: their credentials with their status in words, and
 * their progress per framework as a ladder of the four levels (top rung first). Built here from the
 * issuer's records and the evaluator's progress; the template only lays it out.
 *
 * @param operatorName the name HR systems gave the operator, as their newest credential carries it; or null
 * @param credentials every credential issued to them, newest first
 * @param ladders one per framework they hold a credential in or were assessed in, by title
 * @param progressKnown whether the ladders show the evaluator's progress (statements demonstrated
 *     and missing), or only the levels their credentials certify
 * @param stylesheet the pages' stylesheet
 */
public record OperatorPage(String operatorName, List<Card> credentials, List<Ladder> ladders, boolean progressKnown,
        String stylesheet) {

    /** Dates on the page: a day is what an operator needs, in UTC as the credentials state it. */
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /**
     * One credential.
     *
     * @param credentialId its UUID
     * @param name its name, e.g. "Proficient: Chemical Plant and System Operators"
     * @param framework the framework's title and version
     * @param level the level's label
     * @param issued the day it was issued
     * @param expires the day it lapses, or "Does not expire"
     * @param status its status in words: Valid, Expired, Revoked, Suspended, or Status not yet known
     * @param statusKey a stable token of the status for styles and tests: valid, expired, revoked, suspended, unknown
     * @param explanation one sentence on what the status means for the holder
     * @param jwtPath where to download it as a JWT (under the page's path)
     * @param jsonPath where to download it as JSON
     * @param shareUrl the verification page asked to check it, for an employer
     * @param walletPath where to add it to an OpenID4VCI wallet; null unless it is valid
     * @param lcwPath where to add it to the Learner Credential Wallet (a VC-API exchange of the
     *     Data Integrity form); null unless it is valid
     */
    public record Card(String credentialId, String name, String framework, String level, String issued, String expires,
            String status, String statusKey, String explanation, String jwtPath, String jsonPath, String shareUrl,
            String walletPath, String lcwPath) {}

    /**
     * A framework's ladder.
     *
     * @param title the framework's title and version
     * @param frameworkId its id
     * @param rungs Advanced first, Emerging last: the way a ladder is climbed on a page read top down
     */
    public record Ladder(String title, String frameworkId, List<Rung> rungs) {}

    /**
     * One level of a ladder.
     *
     * @param level the level's label
     * @param state met, progress (some statements demonstrated), or open (none)
     * @param stateText the state in words
     * @param demonstratedCount statements demonstrated
     * @param total statements of the level; 0 when unknown
     * @param validUntil while met, the day it lapses unless renewed; null when never or not met
     * @param demonstrated the statements demonstrated
     * @param missing the statements still to demonstrate
     */
    public record Rung(String level, String state, String stateText, int demonstratedCount, int total,
            String validUntil, List<Line> demonstrated, List<Line> missing) {}

    /**
     * A statement on a rung.
     *
     * @param name its short name (topic)
     * @param text its description
     * @param expires for a demonstrated statement, the day its pass stops counting; else null
     */
    public record Line(String name, String text, String expires) {}

    /**
     * The page.
     *
     * @param pagePath the page's own path, {@code /o/{token}}: downloads and wallet offers live under it
     * @param publicBase the issuer's public base URL
     * @param records the operator's credentials, oldest first, with their standing
     * @param progress their progress, when known here
     * @param frameworks the frameworks this issuer holds
     * @param now the time statuses are judged at
     * @param stylesheet the pages' stylesheet URL
     */
    public static OperatorPage of(String pagePath, String publicBase, List<CredentialRecord> records,
            Optional<List<OperatorProgress.FrameworkLadder>> progress, Function<FrameworkId, Optional<Framework>> frameworks,
            Instant now, String stylesheet) {
        List<Card> cards = new ArrayList<>();
        String name = null;
        for (CredentialRecord record : records) {
            cards.add(0, card(pagePath, publicBase, record, Renewals.renewalOf(record, records), frameworks, now));
            name = holderName(record.credential()).orElse(name);
        }
        Map<FrameworkId, OperatorProgress.FrameworkLadder> ladders = new LinkedHashMap<>();
        progress.ifPresent(known -> known.forEach(ladder -> ladders.put(ladder.framework(), ladder)));
        for (CredentialRecord record : records) {
            ladders.computeIfAbsent(record.issued().framework(), id -> fromCredentials(id, records, now));
        }
        Map<String, Ladder> byTitle = new TreeMap<>();
        ladders.forEach((id, ladder) -> {
            Optional<Framework> framework = frameworks.apply(id);
            String title = framework.map(f -> f.title() + " (" + f.version() + ")").orElse(id.toString());
            byTitle.put(title + "\n" + id, ladder(title, ladder, framework));
        });
        return new OperatorPage(name, List.copyOf(cards), List.copyOf(byTitle.values()), progress.isPresent(), stylesheet);
    }

    private static Card card(String pagePath, String publicBase, CredentialRecord record, Optional<IssuedCredential> renewal,
            Function<FrameworkId, Optional<Framework>> frameworks, Instant now) {
        IssuedCredential issued = record.issued();
        JsonNode credential = record.credential();
        Optional<Framework> framework = frameworks.apply(issued.framework());
        String levelLabel = framework.map(f -> f.level(issued.level()).label()).orElse(issued.level().defaultLabel());
        String frameworkTitle = framework.map(f -> f.title() + " (" + f.version() + ")").orElse(issued.framework().toString());
        String status;
        String key;
        String explanation;
        boolean expired = issued.validUntil() != null && !issued.validUntil().isAfter(now);
        switch (record.status()) {
            case "revoked" -> {
                status = "Revoked";
                key = "revoked";
                explanation = "The issuer has withdrawn this credential. Employers who check it are told so.";
            }
            case "suspended" -> {
                // Only credentials of the older two-bit lists read as suspended; newer suspensions are
                // revocations whose reinstatement issues a new credential, listed here beside it.
                status = "Suspended";
                key = "suspended";
                explanation = "The issuer has suspended this credential while it is reviewed. Employers who check it"
                        + " are told it is not valid.";
            }
            case "valid" -> {
                status = expired ? "Expired" : "Valid";
                key = expired ? "expired" : "valid";
                explanation = expired
                        ? "It lapsed on " + DAY.format(issued.validUntil()) + ". Demonstrating the statements again renews it."
                        : renewal.isPresent()
                        ? "Employers who check it are told it is genuine and current. It was renewed on "
                                + DAY.format(renewal.get().issuedAt()) + ": share the renewal, which lasts longer."
                        : "Employers who check it are told it is genuine and current.";
            }
            default -> {
                status = "Status not yet known";
                key = "unknown";
                explanation = "The issuer is still publishing its status. Look again in a minute.";
            }
        }
        String id = credential.path("id").asText(publicBase + "/credentials/" + issued.credentialId());
        String files = pagePath + "/credentials/" + issued.credentialId();
        return new Card(issued.credentialId(), credential.path("name").asText(levelLabel + ": " + frameworkTitle),
                frameworkTitle, levelLabel, DAY.format(issued.issuedAt()),
                issued.validUntil() == null ? "Does not expire" : DAY.format(issued.validUntil()),
                status, key, explanation, files + ".jwt", files + ".json",
                publicBase + "/verify?url=" + URLEncoder.encode(id, StandardCharsets.UTF_8),
                // A wallet gets the renewal, not the credential it replaces.
                key.equals("valid") && renewal.isEmpty() ? pagePath + "/wallet/" + issued.credentialId() : null,
                key.equals("valid") && renewal.isEmpty() ? pagePath + "/lcw/" + issued.credentialId() : null);
    }

    /** The name an HR system sent for the holder, as the credential's subject identifiers carry it. */
    private static Optional<String> holderName(JsonNode credential) {
        for (JsonNode identifier : credential.path("credentialSubject").path("identifier")) {
            if ("name".equals(identifier.path("identityType").asText())) {
                return Optional.of(identifier.path("identityHash").asText()).filter(s -> !s.isBlank());
            }
        }
        return Optional.empty();
    }

    /** A ladder from the credentials alone: a level is met while a current credential certifies it. */
    private static OperatorProgress.FrameworkLadder fromCredentials(FrameworkId id, List<CredentialRecord> records, Instant now) {
        Map<Level, Instant> met = new EnumMap<>(Level.class);
        Map<Level, Boolean> metForever = new EnumMap<>(Level.class);
        for (CredentialRecord record : records) {
            if (record.issued().framework().equals(id) && record.currentAt(now)) {
                Level level = record.issued().level();
                if (record.issued().validUntil() == null) {
                    metForever.put(level, true);
                } else {
                    met.merge(level, record.issued().validUntil(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        }
        List<OperatorProgress.Rung> rungs = new ArrayList<>();
        for (Level level : Level.values()) {
            boolean isMet = met.containsKey(level) || metForever.containsKey(level);
            rungs.add(new OperatorProgress.Rung(level, isMet, List.of(), List.of(),
                    metForever.containsKey(level) ? null : met.get(level)));
        }
        return new OperatorProgress.FrameworkLadder(id, rungs);
    }

    private static Ladder ladder(String title, OperatorProgress.FrameworkLadder progress, Optional<Framework> framework) {
        List<Rung> rungs = new ArrayList<>();
        List<OperatorProgress.Rung> sorted = new ArrayList<>(progress.rungs());
        sorted.sort(Comparator.comparing(OperatorProgress.Rung::level).reversed());
        for (OperatorProgress.Rung rung : sorted) {
            String label = framework.map(f -> f.level(rung.level()).label()).orElse(rung.level().defaultLabel());
            int total = framework.map(f -> f.statements(rung.level()).size())
                    .orElse(rung.demonstrated().size() + rung.missing().size());
            List<Line> demonstrated = rung.demonstrated().stream().map(d -> line(framework, d.statementId(), d)).toList();
            List<Line> missing = rung.missing().stream().map(id -> line(framework, id, null)).toList();
            String state;
            String stateText;
            if (rung.met()) {
                state = "met";
                stateText = "Met";
            } else if (!demonstrated.isEmpty()) {
                state = "progress";
                stateText = demonstrated.size() + " of " + total + " statements demonstrated";
            } else {
                state = "open";
                stateText = "Not yet";
            }
            rungs.add(new Rung(label, state, stateText, demonstrated.size(), total,
                    rung.met() && rung.validUntil() != null ? DAY.format(rung.validUntil()) : null, demonstrated, missing));
        }
        return new Ladder(title, progress.framework().toString(), rungs);
    }

    private static Line line(Optional<Framework> framework, String statementId, DemonstratedStatement demonstrated) {
        Optional<Statement> statement = framework.flatMap(f -> StatementId.parse(statementId).flatMap(f::statement));
        String expires = demonstrated == null || demonstrated.expiresAt() == null ? null : DAY.format(demonstrated.expiresAt());
        return new Line(statement.map(Statement::shortName).orElse(statementId),
                statement.map(Statement::description).orElse(""), expires);
    }
}
