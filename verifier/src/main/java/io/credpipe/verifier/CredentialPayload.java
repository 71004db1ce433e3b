package io.credpipe.verifier;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an Open Badges 3.0 credential, or a CLR 2.0 learner record bundling such credentials, out
 * of a JWT payload (OB 3.0 §8.2.4, CLR 2.0 §8.2: the payload is the credential itself plus the
 * registered claims). Only ever constructed from a payload whose signature verified.
 */
final class CredentialPayload {

    /** VC 2.0 §4.3: the first {@code @context} item. */
    static final String VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

    /** The OB 3.0 context URL, as the 1EdTech AchievementCredential JSON Schema matches it. */
    static final Pattern OB_CONTEXT = Pattern.compile(
            "^https://purl\\.imsglobal\\.org/spec/ob/v3p0/context(-3\\.\\d\\.\\d)*\\.json$");

    /** The CLR 2.0 context URL, as the 1EdTech ClrCredential JSON Schema matches it. */
    static final Pattern CLR_CONTEXT = Pattern.compile(
            "^https://purl\\.imsglobal\\.org/spec/clr/v2p0/context(-2\\.\\d\\.\\d)*\\.json$");

    /**
     * JSON with duplicate member names is ambiguous (which value did the issuer mean?), so it is
     * refused rather than resolved the way one parser happens to (RFC 8259 §4).
     */
    static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final JsonNode root;

    private CredentialPayload(JsonNode root) {
        this.root = root;
    }

    /**
     * Parses a payload.
     *
     * @return the payload, or {@code null} with the reason added to {@code problems}
     */
    static CredentialPayload parse(byte[] json, List<String> problems) {
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(json);
        } catch (IOException e) {
            problems.add("the payload is not JSON: " + oneLine(e.getMessage()));
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add("the payload is not a JSON object");
            return null;
        }
        return new CredentialPayload(root);
    }

    /**
     * What keeps the payload from being a VC 2.0 / OB 3.0 {@code AchievementCredential}
     * (OB 3.0 Appendix B.1.2, B.1.3); empty when nothing does.
     */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (root.has("vc") && !root.has("@context")) {
            problems.add("the credential is wrapped in a vc claim (VC Data Model 1.1 style); "
                    + "an OB 3.0 JWT payload is the credential itself (OB 3.0 §8.2.4)");
            return problems;
        }
        verifiableCredentialProblems(problems, "the credential", "OB 3.0 B.1.2", "OB 3.0 B.1.20 ProfileRef",
                List.of(OB_CONTEXT_RULE));
        List<String> types = strings(root.get("type"));
        if (!types.contains("OpenBadgeCredential") && !types.contains("AchievementCredential")) {
            problems.add("type must include OpenBadgeCredential or AchievementCredential");
        }
        JsonNode subject = root.get("credentialSubject");
        if (subject == null || !subject.isObject()) {
            problems.add("credentialSubject must be one AchievementSubject object");
        } else {
            JsonNode achievement = subject.get("achievement");
            if (achievement == null || !achievement.isObject()) {
                problems.add("credentialSubject.achievement is missing");
            } else if (text(achievement.get("id")) == null) {
                problems.add("credentialSubject.achievement has no id");
            }
            JsonNode identifier = subject.get("identifier");
            boolean hasIdentifier = identifier != null && (identifier.isObject() || identifier.isArray() && !identifier.isEmpty());
            if (subjectId() == null && !hasIdentifier) {
                problems.add("credentialSubject has neither an id nor an identifier (OB 3.0 §9.1 step 1)");
            }
        }
        return problems;
    }

    /** A {@code @context} item that must follow VC 2.0's, in order. */
    private record ContextRule(Pattern url, String description) {}

    private static final ContextRule OB_CONTEXT_RULE = new ContextRule(OB_CONTEXT,
            "the Open Badges 3.0 context https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.x.json (OB 3.0 B.1.2)");
    private static final ContextRule CLR_CONTEXT_RULE = new ContextRule(CLR_CONTEXT,
            "the CLR 2.0 context https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.x.json (1EdTech ClrCredential schema)");

    /**
     * What a VC 2.0 credential of either kind needs: VC 2.0's context first (VC 2.0 §4.3) and then
     * {@code contexts} in order, the type {@code VerifiableCredential}, an id, an issuer and a
     * {@code validFrom}.
     *
     * @param what how messages name the document, e.g. "the credential"
     * @param requiredBy what requires the id and {@code validFrom}, for messages
     * @param issuerRule what defines the issuer's form, for messages
     */
    private void verifiableCredentialProblems(List<String> problems, String what, String requiredBy, String issuerRule,
            List<ContextRule> contexts) {
        JsonNode context = root.get("@context");
        if (context == null || !context.isArray() || context.isEmpty()) {
            problems.add("@context must be an ordered list starting with " + VC_V2_CONTEXT);
        } else {
            if (!VC_V2_CONTEXT.equals(context.get(0).asText(null))) {
                problems.add("the first @context must be " + VC_V2_CONTEXT + " (VC 2.0 §4.3), was " + context.get(0));
            }
            List<String> ordinals = List.of("second", "third");
            for (int i = 0; i < contexts.size(); i++) {
                JsonNode item = context.get(i + 1);
                if (item == null || !item.isTextual() || !contexts.get(i).url().matcher(item.asText()).matches()) {
                    problems.add("the " + ordinals.get(i) + " @context must be " + contexts.get(i).description());
                }
            }
        }
        if (!types().contains("VerifiableCredential")) {
            problems.add("type must include VerifiableCredential");
        }
        if (credentialId() == null) {
            problems.add(what + " has no id (" + requiredBy + " requires one)");
        }
        if (issuerId() == null) {
            problems.add("issuer must be a URI or a Profile with an id (" + issuerRule + ")");
        }
        if (text(root.get("validFrom")) == null) {
            problems.add(what + " has no validFrom (" + requiredBy + " requires one)");
        }
    }

    /** Whether this is a CLR 2.0 {@code ClrCredential} rather than a single Open Badges credential. */
    boolean isLearnerRecord() {
        return types().contains("ClrCredential");
    }

    /**
     * What keeps the payload from being a CLR 2.0 {@code ClrCredential} 
     * whose bundled credentials its issuer vouches for (CLR 2.0 ClrCredential and ClrSubject, as the
     * 1EdTech ClrCredential JSON Schema states them); empty when nothing does.
     *
     * <p>CLR 2.0 lets a record carry credentials with proofs of their own; the ones it bundles
     * here carry none (the 1EdTech schema takes neither JWS strings nor enveloped credentials), so
     * the record's signature is all that vouches for them. That holds only for credentials of the
     * record's own issuer about the record's own subject, so any other is a problem.
     */
    List<String> learnerRecordProblems() {
        List<String> problems = new ArrayList<>();
        verifiableCredentialProblems(problems, "the learner record", "a ClrCredential", "1EdTech ClrCredential schema",
                List.of(CLR_CONTEXT_RULE, OB_CONTEXT_RULE));
        JsonNode subject = root.get("credentialSubject");
        if (subject == null || !subject.isObject() || !strings(subject.get("type")).contains("ClrSubject")) {
            problems.add("credentialSubject must be one ClrSubject object");
            return problems;
        }
        List<JsonNode> bundled = items(subject.get("verifiableCredential"));
        if (bundled.isEmpty()) {
            problems.add("credentialSubject.verifiableCredential must hold at least one credential");
            return problems;
        }
        for (int i = 0; i < bundled.size(); i++) {
            String where = "credentialSubject.verifiableCredential[" + i + "]";
            if (!bundled.get(i).isObject()) {
                problems.add(where + " is not a credential object");
                continue;
            }
            CredentialPayload credential = new CredentialPayload(bundled.get(i));
            credential.problems().forEach(problem -> problems.add(where + ": " + problem));
            if (credential.claim("proof") != null) {
                problems.add(where + " carries an embedded (Data Integrity) proof, which this verifier does not check");
            }
            if (issuerId() != null && !issuerId().equals(credential.issuerId())) {
                problems.add(where + " is issued by " + credential.issuerId() + ", not by the learner record's issuer "
                        + issuerId() + ", and nothing else vouches for it");
            }
            if (subjectId() != null && !subjectId().equals(credential.subjectId())) {
                problems.add(where + " is about subject " + credential.subjectId() + ", not the learner record's subject "
                        + subjectId());
            }
        }
        return problems;
    }

    /** The credentials a learner record bundles, in order; only for one whose {@link #learnerRecordProblems()} are empty. */
    List<CredentialPayload> bundled() {
        List<CredentialPayload> bundled = new ArrayList<>();
        items(root.get("credentialSubject").get("verifiableCredential")).forEach(node -> bundled.add(new CredentialPayload(node)));
        return bundled;
    }

    /** The types of the credential, for the pass message. */
    List<String> types() {
        return strings(root.get("type"));
    }

    /** A registered claim's node, or {@code null}. */
    JsonNode claim(String name) {
        JsonNode node = root.get(name);
        return node == null || node.isNull() ? null : node;
    }

    String credentialId() {
        return text(root.get("id"));
    }

    String issuerId() {
        JsonNode issuer = root.get("issuer");
        if (issuer == null) {
            return null;
        }
        return issuer.isObject() ? text(issuer.get("id")) : text(issuer);
    }

    String issuerName() {
        JsonNode issuer = root.get("issuer");
        return issuer != null && issuer.isObject() ? text(issuer.get("name")) : null;
    }

    String subjectId() {
        JsonNode subject = root.get("credentialSubject");
        return subject != null && subject.isObject() ? text(subject.get("id")) : null;
    }

    String validFrom() {
        return text(root.get("validFrom"));
    }

    String validUntil() {
        return text(root.get("validUntil"));
    }

    /** The credential's {@code credentialStatus}: an entry or an array of them; {@code null} when it has none. */
    JsonNode credentialStatus() {
        JsonNode status = root.get("credentialStatus");
        if (status == null || status.isNull() || status.isArray() && status.isEmpty()) {
            return null;
        }
        return status;
    }

    /** The {@code type}s of the credential's {@code credentialSchema} entries; empty when it has none. */
    List<String> credentialSchemaTypes() {
        List<String> types = new ArrayList<>();
        for (JsonNode schema : items(root.get("credentialSchema"))) {
            types.addAll(strings(schema.get("type")));
        }
        return types;
    }

    /**
     * The summary of a credential whose {@link #problems()} are empty.
     *
     * @param validFrom  the parsed {@code validFrom}
     * @param validUntil the effective expiry (from {@code exp} or {@code validUntil}), or {@code null}
     * @param status     the standing from the status lists, empty when the credential has no credentialStatus
     */
    CredentialSummary summary(String keyId, String algorithm, Instant validFrom, Instant validUntil,
            Optional<StatusStanding> status) {
        JsonNode subjectNode = root.get("credentialSubject");
        JsonNode achievementNode = subjectNode.get("achievement");

        List<CredentialSummary.Identity> identities = new ArrayList<>();
        for (JsonNode identifier : items(subjectNode.get("identifier"))) {
            identities.add(new CredentialSummary.Identity(
                    text(identifier.get("identityType")),
                    identifier.path("hashed").asBoolean(false),
                    text(identifier.get("identityHash")),
                    text(identifier.get("salt"))));
        }
        List<String> names = identities.stream()
                .filter(i -> CredentialSummary.Identity.NAME.equals(i.identityType()) && !i.hashed() && i.identityHash() != null)
                .map(CredentialSummary.Identity::identityHash)
                .toList();
        boolean emailHash = identities.stream()
                .anyMatch(i -> CredentialSummary.Identity.EMAIL_ADDRESS.equals(i.identityType()) && i.hashed());
        CredentialSummary.Subject subject = new CredentialSummary.Subject(subjectId(), names, emailHash, identities);

        CredentialSummary.Achievement achievement = new CredentialSummary.Achievement(
                text(achievementNode.get("id")), text(achievementNode.get("name")), text(achievementNode.get("achievementType")));

        List<CredentialSummary.Alignment> alignments = new ArrayList<>();
        for (JsonNode alignment : items(achievementNode.get("alignment"))) {
            alignments.add(new CredentialSummary.Alignment(
                    text(alignment.get("targetCode")),
                    text(alignment.get("targetName")),
                    text(alignment.get("targetUrl")),
                    text(alignment.get("targetFramework")),
                    text(alignment.get("targetType"))));
        }
        String level = achievedLevel(subjectNode, achievementNode);
        return new CredentialSummary(
                subject,
                achievement,
                level == null ? achievement.name() : level,
                CredentialSummary.mostNamedFramework(alignments),
                alignments,
                issuerId(),
                issuerName(),
                credentialId(),
                validFrom,
                validUntil,
                keyId,
                algorithm,
                status);
    }

    /**
     * The name of the rubric criterion level a result achieved: {@code result[].achievedLevel} is
     * the id of a {@code RubricCriterionLevel} of the {@code ResultDescription} the result points
     * at (OB 3.0 B.1.16 Result, B.1.17 ResultDescription).
     */
    private static String achievedLevel(JsonNode subject, JsonNode achievement) {
        for (JsonNode result : items(subject.get("result"))) {
            String achieved = text(result.get("achievedLevel"));
            if (achieved == null) {
                continue;
            }
            String description = text(result.get("resultDescription"));
            for (JsonNode resultDescription : items(achievement.get("resultDescription"))) {
                if (description != null && !description.equals(text(resultDescription.get("id")))) {
                    continue;
                }
                for (JsonNode level : items(resultDescription.get("rubricCriterionLevel"))) {
                    if (achieved.equals(text(level.get("id"))) && text(level.get("name")) != null) {
                        return text(level.get("name"));
                    }
                }
            }
        }
        return null;
    }

    /**
     * Parses a DateTimeZ (OB 3.0 B.7): an ISO 8601 date-time with a time zone.
     *
     * @return the instant, or {@code null} if {@code text} is not one
     */
    static Instant dateTime(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * Reads a NumericDate (RFC 7519 §2): seconds since the epoch, possibly fractional.
     *
     * @return the instant, truncated to the second, or {@code null} if {@code node} is not one
     */
    static Instant numericDate(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        try {
            BigDecimal seconds = node.decimalValue().setScale(0, RoundingMode.FLOOR);
            return Instant.ofEpochSecond(seconds.longValueExact());
        } catch (ArithmeticException | DateTimeException e) {
            return null;
        }
    }

    /**
     * The text of a string, or of a language map's first entry (the 1EdTech schema lets names be
     * maps of language to text); {@code null} otherwise.
     */
    static String text(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getValue().isTextual()) {
                    return field.getValue().asText();
                }
            }
        }
        return null;
    }

    /** A JSON-LD set: a single string or an array of strings. */
    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : items(node)) {
            if (item.isTextual()) {
                values.add(item.asText());
            }
        }
        return values;
    }

    /** A JSON-LD set of objects or strings: one value or an array of them. */
    private static List<JsonNode> items(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(values::add);
        } else {
            values.add(node);
        }
        return values;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
