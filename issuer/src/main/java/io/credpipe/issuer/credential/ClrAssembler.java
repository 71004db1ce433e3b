package io.credpipe.issuer.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds the unsigned 1EdTech Comprehensive Learner Record 2.0 {@code ClrCredential}
 * (https://www.imsglobal.org/spec/clr/v2p0/) that bundles one operator's Open Badges credentials.
 *
 * <p>Decisions the specification leaves to the issuer, or that need a reason:
 * <ul>
 *   <li><b>What goes in {@code credentialSubject.verifiableCredential}.</b> The credentials
 *       themselves, as JSON objects: the payload of each credential's JWT without the JWT
 *       registered claims ({@code iss}, {@code sub}, {@code jti}, {@code nbf}, {@code exp}),
 *       unchanged otherwise. CLR 2.0's data model types the property as {@code AchievementCredential}
 *       / {@code VerifiableCredential} [1..*] (§ "ClrSubject"), and 1EdTech's
 *       {@code clr_v2p0_clrcredential_schema.json} requires every item to be an object with
 *       {@code @context}, {@code type}, {@code issuer}, {@code validFrom} and
 *       {@code credentialSubject} ({@code $defs/VerifiableCredential}): neither a compact JWS string
 *       nor a VC Data Model 2.0 {@code EnvelopedVerifiableCredential} (which has no {@code issuer},
 *       {@code validFrom} or {@code credentialSubject}) validates. A JWT proof cannot be embedded in
 *       the object (the OB 3.0 JWT proof is external to the credential, § 8.2 "JSON Web Token Proof
 *       Format"), so each nested credential stays verifiable on its own through its {@code id}, which
 *       is the URL that serves its compact JWS ({@code Accept: application/jwt}), and the CLR's own
 *       JWT proof, by the same issuer and key, covers the nested copies.</li>
 *   <li><b>Associations.</b> Consecutive levels of one framework version that the record holds are
 *       linked lower → higher with {@code precedes}: CLR 2.0's {@code AssociationType} vocabulary
 *       defines it for an order in which the source comes before the target, which is what a level
 *       progression is. {@code isParentOf}/{@code isChildOf} describe a structural taxonomy
 *       (containment), and a level does not contain another.</li>
 *   <li><b>Identity.</b> {@code credentialSubject.id} and {@code identifier} are those of the newest
 *       bundled credential: the operator's pseudonymous subject id and the same salted hash, so the
 *       record names its holder exactly as the credentials do and carries no new personal data.</li>
 *   <li><b>{@code id}, dates.</b> The id is {@code urn:uuid:} + a name-based UUID (RFC 9562 §5.5)
 *       of the subject id and the sorted ids of the bundled credentials, {@code validFrom} the
 *       newest bundled credential's issue time and {@code validUntil} the earliest expiry among
 *       them: the same content always yields the same document, whenever it is requested, and a
 *       change of content (a new, revoked or expired credential) yields a new id.</li>
 * </ul>
 *
 * <p>Which credentials to bundle (current ones only) is the caller's decision. Nothing here touches
 * Kafka or HTTP.
 */
public final class ClrAssembler {

    /** The CLR 2.0.1 context; must come second, after the VC context (schema: {@code @context} items). */
    public static final String CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";
    /** The 1EdTech JSON Schema every ClrCredential validates against. */
    static final String CLR_CREDENTIAL_SCHEMA =
            "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json";
    /** The CLR {@code AssociationType} for an ordered progression, see the class comment. */
    static final String PROGRESSION = "precedes";

    /** The namespace of credpipe CLR names (a random UUID fixed forever). */
    private static final UUID NAMESPACE = UUID.fromString("0b5e2d3a-6c41-4f0e-8d2b-7a9c1e4f6a53");

    private final ObjectNode issuer;
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    /** @param issuer the issuer {@code Profile}, the same credentials carry ({@link CredentialAssembler#profile()}) */
    public ClrAssembler(ObjectNode issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer").deepCopy();
        if (!issuer.path("id").isTextual() || !issuer.path("name").isTextual()) {
            throw new IllegalArgumentException("the issuer profile needs an id and a name");
        }
    }

    /**
     * One credential to bundle.
     *
     * @param issued the record of its issue
     * @param credential the credential: the JWT payload without the JWT registered claims
     */
    public record Bundled(IssuedCredential issued, ObjectNode credential) {
        public Bundled {
            Objects.requireNonNull(issued, "issued");
            Objects.requireNonNull(credential, "credential");
        }
    }

    /**
     * The record of {@code credentials}, all of one holder.
     *
     * @throws IllegalArgumentException when {@code credentials} is empty (a CLR holds at least one
     *     credential) or they belong to different operators
     */
    public ObjectNode assemble(List<Bundled> credentials) {
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("a CLR bundles at least one credential");
        }
        String operatorId = credentials.get(0).issued().operatorId();
        if (credentials.stream().anyMatch(c -> !c.issued().operatorId().equals(operatorId))) {
            throw new IllegalArgumentException("a CLR bundles the credentials of one operator");
        }
        List<Bundled> ordered = credentials.stream()
                .sorted(Comparator.comparing((Bundled c) -> c.issued().framework().toString())
                        .thenComparing(c -> c.issued().level())
                        .thenComparingInt(c -> c.issued().sequence())
                        .thenComparing(c -> c.issued().credentialId()))
                .toList();
        Bundled newest = ordered.stream()
                .max(Comparator.comparing((Bundled c) -> c.issued().issuedAt())
                        .thenComparing(c -> c.issued().credentialId()))
                .orElseThrow();
        JsonNode newestSubject = newest.credential().path("credentialSubject");
        String subjectId = newestSubject.path("id").asText("");

        ObjectNode clr = json.objectNode();
        clr.set("@context", strings(CredentialAssembler.VC_CONTEXT, CLR_CONTEXT, CredentialAssembler.OB_CONTEXT,
                CredentialAssembler.OB_EXTENSIONS_CONTEXT));
        clr.put("id", "urn:uuid:" + id(subjectId, ordered));
        clr.set("type", strings("VerifiableCredential", "ClrCredential"));
        clr.put("name", "Comprehensive Learner Record — " + issuer.path("name").asText());
        clr.put("description", "The " + ordered.size() + " current competency credential"
                + (ordered.size() == 1 ? "" : "s") + " that " + issuer.path("name").asText()
                + " issued to this holder, with how their levels follow one another.");
        clr.set("issuer", issuer.deepCopy());
        clr.put("validFrom", CredentialAssembler.timestamp(newest.issued().issuedAt()));
        ordered.stream().map(c -> c.issued().validUntil()).filter(Objects::nonNull).min(Comparator.naturalOrder())
                .ifPresent(until -> clr.put("validUntil", CredentialAssembler.timestamp(until)));

        ObjectNode subject = json.objectNode();
        if (!subjectId.isBlank()) {
            subject.put("id", subjectId);
        }
        subject.set("type", strings("ClrSubject"));
        if (newestSubject.path("identifier").isArray() && !newestSubject.path("identifier").isEmpty()) {
            subject.set("identifier", newestSubject.get("identifier").deepCopy());
        }
        ArrayNode nested = json.arrayNode();
        ordered.forEach(c -> nested.add(c.credential().deepCopy()));
        subject.set("verifiableCredential", nested);
        Map<String, ObjectNode> achievements = achievements(ordered);
        ArrayNode achievementArray = json.arrayNode();
        achievements.values().forEach(a -> achievementArray.add(a.deepCopy()));
        subject.set("achievement", achievementArray);
        ArrayNode associations = associations(ordered, achievements);
        if (!associations.isEmpty()) {
            subject.set("association", associations);
        }
        clr.set("credentialSubject", subject);

        ObjectNode schema = json.objectNode()
                .put("id", CLR_CREDENTIAL_SCHEMA)
                .put("type", CredentialAssembler.SCHEMA_VALIDATOR_TYPE);
        clr.set("credentialSchema", json.arrayNode().add(schema));
        return clr;
    }

    /** The distinct achievements, by id, in bundle order. */
    private static Map<String, ObjectNode> achievements(List<Bundled> ordered) {
        Map<String, ObjectNode> achievements = new LinkedHashMap<>();
        for (Bundled c : ordered) {
            JsonNode achievement = c.credential().path("credentialSubject").path("achievement");
            if (achievement.isObject() && achievement.path("id").isTextual()) {
                achievements.putIfAbsent(achievement.get("id").asText(), (ObjectNode) achievement);
            }
        }
        return achievements;
    }

    /** {@code precedes} from each held level to the next higher held level of the same framework version. */
    private ArrayNode associations(List<Bundled> ordered, Map<String, ObjectNode> achievements) {
        Map<FrameworkId, TreeMap<Level, String>> levels = new TreeMap<>(Comparator.comparing(FrameworkId::toString));
        for (Bundled c : ordered) {
            String achievementId = c.credential().path("credentialSubject").path("achievement").path("id").asText("");
            if (achievements.containsKey(achievementId)) {
                levels.computeIfAbsent(c.issued().framework(), f -> new TreeMap<>())
                        .putIfAbsent(c.issued().level(), achievementId);
            }
        }
        ArrayNode associations = json.arrayNode();
        for (TreeMap<Level, String> held : levels.values()) {
            List<String> ids = new ArrayList<>(held.values());
            for (int i = 0; i + 1 < ids.size(); i++) {
                associations.add(json.objectNode()
                        .put("type", "Association")
                        .put("associationType", PROGRESSION)
                        .put("sourceId", ids.get(i))
                        .put("targetId", ids.get(i + 1)));
            }
        }
        return associations;
    }

    /** Name-based UUID (version 5) of the holder and the bundled credential ids. */
    private static UUID id(String subjectId, List<Bundled> ordered) {
        StringBuilder name = new StringBuilder(subjectId);
        ordered.stream().map(c -> c.issued().credentialId()).sorted().forEach(id -> name.append('\n').append(id));
        return CredentialId.nameBased(NAMESPACE, name.toString());
    }

    private ArrayNode strings(String... values) {
        ArrayNode array = json.arrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }
}
