package io.credpipe.verifier.credential;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.json.StrictJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads an Open Badges 3.0 credential, or a CLR 2.0 learner record bundling such credentials, out
 * of a JWT payload (OB 3.0 §8.2.4, CLR 2.0 §8.2: the payload is the credential itself plus the
 * registered claims). Constructed from a payload whose signature verified, or from a plain JSON
 * credential only to say why it is not secured. Pure: JSON in, facts and problems out.
 */
public final class CredentialPayload {

    /** VC 2.0 §4.3: the first {@code @context} item. */
    public static final String VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

    /** The OB 3.0 context URL, as the 1EdTech AchievementCredential JSON Schema matches it. */
    public static final Pattern OB_CONTEXT = Pattern.compile(
            "^https://purl\\.imsglobal\\.org/spec/ob/v3p0/context(-3\\.\\d\\.\\d)*\\.json$");

    /** The CLR 2.0 context URL, as the 1EdTech ClrCredential JSON Schema matches it. */
    public static final Pattern CLR_CONTEXT = Pattern.compile(
            "^https://purl\\.imsglobal\\.org/spec/clr/v2p0/context(-2\\.\\d\\.\\d)*\\.json$");

    private final JsonNode root;

    private CredentialPayload(JsonNode root) {
        this.root = root;
    }

    /**
     * Parses a payload.
     *
     * @param json     the JSON bytes
     * @param problems where the reason goes when the bytes are not a JSON object
     * @return the payload, or {@code null} with the reason added to {@code problems}
     */
    public static CredentialPayload parse(byte[] json, List<String> problems) {
        JsonNode root;
        try {
            root = StrictJson.read(json);
        } catch (IOException e) {
            problems.add("the payload is not JSON: " + StrictJson.oneLine(e.getMessage()));
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add("the payload is not a JSON object");
            return null;
        }
        return new CredentialPayload(root);
    }

    /**
     * The payload as JSON, for reading what this class has no accessor for (e.g. a summary).
     *
     * @return the payload object; not to be modified
     */
    public JsonNode json() {
        return root;
    }

    /**
     * What keeps the payload from being a VC 2.0 / OB 3.0 {@code AchievementCredential}
     * (OB 3.0 Appendix B.1.2, B.1.3); empty when nothing does.
     */
    public List<String> problems() {
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
        JsonNode validFrom = root.get("validFrom");
        if (validFrom == null || validFrom.isNull()) {
            problems.add(what + " has no validFrom (" + requiredBy + " requires one)");
        }
        // VC 2.0 §4.9: both are xsd:dateTimeStamp strings. Read leniently, a number or a language
        // map would be taken for "no validUntil" (never expires) or for its first entry.
        for (String name : List.of("validFrom", "validUntil")) {
            JsonNode date = root.get(name);
            if (date != null && !date.isNull() && !date.isTextual()) {
                problems.add(what + "'s " + name + " must be a date-time string (VC 2.0 §4.9), was " + shorten(date.toString()));
            }
        }
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** Whether this is a CLR 2.0 {@code ClrCredential} rather than a single Open Badges credential. */
    public boolean isLearnerRecord() {
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
    public List<String> learnerRecordProblems() {
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
    public List<CredentialPayload> bundled() {
        List<CredentialPayload> bundled = new ArrayList<>();
        items(root.get("credentialSubject").get("verifiableCredential")).forEach(node -> bundled.add(new CredentialPayload(node)));
        return bundled;
    }

    /** The types of the credential, for the pass message. */
    public List<String> types() {
        return strings(root.get("type"));
    }

    /** A registered claim's node, or {@code null}. */
    public JsonNode claim(String name) {
        JsonNode node = root.get(name);
        return node == null || node.isNull() ? null : node;
    }

    /** The credential's {@code id}, or {@code null}. */
    public String credentialId() {
        return text(root.get("id"));
    }

    /** The issuer's id: {@code issuer} or {@code issuer.id}; {@code null} when there is none. */
    public String issuerId() {
        JsonNode issuer = root.get("issuer");
        if (issuer == null) {
            return null;
        }
        return issuer.isObject() ? text(issuer.get("id")) : text(issuer);
    }

    /** The issuer profile's {@code name}, or {@code null}. */
    public String issuerName() {
        JsonNode issuer = root.get("issuer");
        return issuer != null && issuer.isObject() ? text(issuer.get("name")) : null;
    }

    /** The subject's {@code id}, or {@code null}. */
    public String subjectId() {
        JsonNode subject = root.get("credentialSubject");
        return subject != null && subject.isObject() ? text(subject.get("id")) : null;
    }

    /** The {@code validFrom} text, or {@code null}. */
    public String validFrom() {
        return StrictJson.string(root.get("validFrom"));
    }

    /** The {@code validUntil} text, or {@code null}. */
    public String validUntil() {
        return StrictJson.string(root.get("validUntil"));
    }

    /** The credential's {@code credentialStatus}: an entry or an array of them; {@code null} when it has none. */
    public JsonNode credentialStatus() {
        JsonNode status = root.get("credentialStatus");
        if (status == null || status.isNull() || status.isArray() && status.isEmpty()) {
            return null;
        }
        return status;
    }

    /** The {@code type}s of the credential's {@code credentialSchema} entries; empty when it has none. */
    public List<String> credentialSchemaTypes() {
        List<String> types = new ArrayList<>();
        for (JsonNode schema : items(root.get("credentialSchema"))) {
            types.addAll(strings(schema.get("type")));
        }
        return types;
    }

    /**
     * Parses a DateTimeZ (OB 3.0 B.7): an ISO 8601 date-time with a time zone.
     *
     * @return the instant, or {@code null} if {@code text} is not one
     */
    public static Instant dateTime(String text) {
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
    public static Instant numericDate(JsonNode node) {
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

    /** See {@link StrictJson#text(JsonNode)}. */
    public static String text(JsonNode node) {
        return StrictJson.text(node);
    }

    private static List<String> strings(JsonNode node) {
        return StrictJson.strings(node);
    }

    private static List<JsonNode> items(JsonNode node) {
        return StrictJson.items(node);
    }
}
