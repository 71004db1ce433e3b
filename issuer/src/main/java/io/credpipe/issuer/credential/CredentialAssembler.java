package io.credpipe.issuer.credential;

import io.credpipe.model.credential.IdentityHash;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.FrameworkLevel;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Occupation;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.framework.StatementId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the unsigned Open Badges 3.0 {@code OpenBadgeCredential} for one achieved framework level
 * (1EdTech Open Badges 3.0, https://www.imsglobal.org/spec/ob/v3p0/, on the W3C VC Data Model 2.0).
 *
 * <p>One {@code Achievement} per (framework version, level), identified by the level's public URL;
 * it aligns to every statement of the level and to the occupation, and carries a
 * {@code ResultDescription} whose rubric is the framework's four levels. The subject's {@code id} is
 * the pseudonymous id of {@link SubjectIdentity} (a wallet's DID once one is bound); its e-mail
 * address appears only as a salted hash.
 *
 * <p>The output keeps its members in reading order (context, identity, issuer, dates, subject,
 * evidence, schema). Nothing here touches Kafka or HTTP.
 *
 * <p>Longer than 400 lines because it is one document, built member by member in the order it reads.
 */
public final class CredentialAssembler {

    /** VC Data Model 2.0 base context, which MUST come first. */
    public static final String VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
    /** The Open Badges 3.0.3 context. */
    public static final String OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    /** Defines {@code 1EdTechJsonSchemaValidator2019}, the type of {@code credentialSchema}. */
    public static final String OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
    /** The 1EdTech JSON Schema every OB 3.0 achievement credential validates against. */
    static final String ACHIEVEMENT_CREDENTIAL_SCHEMA =
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
    static final String SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019";

    /**
     * Alignment target types outside OB's AlignmentTargetType enumeration must use the {@code ext:}
     * prefix (OB 3.0 "Extending Enumerated Vocabularies"; the schema accepts
     * {@code (ext:)[a-z|A-Z|0-9|.|-|_]+}). None of the enumerated types (CASE, CTDL) fits a framework
     * statement or an O*NET occupation.
     */
    static final String STATEMENT_TARGET_TYPE = "ext:CompetencyStatement";
    static final String OCCUPATION_TARGET_TYPE = "ext:Occupation";
    static final String OCCUPATION_FRAMEWORK = "O*NET-SOC 2019 taxonomy";
    static final String ONET_SUMMARY = "https://www.onetonline.org/link/summary/";

    private static final DateTimeFormatter RFC_3339_SECONDS = DateTimeFormatter.ISO_INSTANT;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final IssuerProfile issuer;
    private final PublicUrls urls;
    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final ObjectMapper serialiser = new ObjectMapper();
    /** One entry per (framework id, level): bounded by the frameworks this issuer has seen. */
    private final Map<AchievementKey, SerialisedAchievement> serialisedAchievements = new ConcurrentHashMap<>();

    /**
     * @param issuer the issuing organisation
     * @param urls where the frameworks, levels, statements and credentials are published
     */
    public CredentialAssembler(IssuerProfile issuer, PublicUrls urls) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    /**
     * The credential for {@code achievement}, with the name-based id {@link CredentialId#of} (a
     * preview: the issuer signs through {@link #assembleForSigning} with the id derived from its
     * secret).
     *
     * @param achievement the level decision
     * @param framework the framework version the level belongs to ({@code achievement.framework()})
     * @param issuedAt when the credential is issued; becomes {@code validFrom} (whole seconds)
     * @param subject the subject's id and the salt of its hashed identifiers (see {@link IdentitySalts})
     * @return the unsigned credential
     */
    public ObjectNode assemble(LevelAchieved achievement, Framework framework, Instant issuedAt, SubjectIdentity subject) {
        return assemble(achievement, framework, issuedAt, subject, null);
    }

    /**
     * The credential for {@code achievement} with a {@code credentialStatus}.
     *
     * @param credentialStatus the credential's status entry (see {@link io.credpipe.issuer.status.StatusLists#entry}); {@code null} for none
     * @see #assemble(LevelAchieved, Framework, Instant, SubjectIdentity)
     */
    public ObjectNode assemble(LevelAchieved achievement, Framework framework, Instant issuedAt, SubjectIdentity subject,
            ObjectNode credentialStatus) {
        return assemble(CredentialId.of(achievement.operator().id(), achievement.framework(), achievement.level(),
                achievement.sequence()), achievement, framework, issuedAt, subject, credentialStatus, false);
    }

    /**
     * The same credential as {@link #assemble(LevelAchieved, Framework, Instant, SubjectIdentity, ObjectNode)}
     * with its {@code credentialSubject.achievement} as pre-serialised JSON ({@link RawValue}): it
     * serialises to the same bytes, but the achievement cannot be read as a tree. Every credential
     * of a (framework, level) carries the same ~15 KB achievement, so the issuer builds and
     * serialises it once per framework version instead of once per credential; this is only for
     * a tree that is serialised and signed, never inspected.
     */
    public ObjectNode assembleForSigning(CredentialId id, LevelAchieved achievement, Framework framework, Instant issuedAt,
            SubjectIdentity subject, ObjectNode credentialStatus) {
        return assemble(Objects.requireNonNull(id, "id"), achievement, framework, issuedAt, subject, credentialStatus, true);
    }

    private ObjectNode assemble(CredentialId credentialId, LevelAchieved achievement, Framework framework, Instant issuedAt,
            SubjectIdentity subject, ObjectNode credentialStatus, boolean rawAchievement) {
        Objects.requireNonNull(achievement, "achievement");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(subject, "subject");
        if (!achievement.framework().equals(framework.id())) {
            throw new IllegalArgumentException("achievement is for framework " + achievement.framework()
                    + " but framework " + framework.id() + " was given");
        }
        Level level = achievement.level();
        FrameworkLevel frameworkLevel = framework.level(level);

        ObjectNode credential = json.objectNode();
        credential.set("@context", strings(VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT));
        credential.put("id", urls.credential(credentialId));
        credential.set("type", strings("VerifiableCredential", "OpenBadgeCredential"));
        credential.put("name", achievementName(framework, frameworkLevel));
        credential.put("description", "Awarded for meeting the " + frameworkLevel.label() + " level of the "
                + framework.title() + " competency framework (" + framework.version() + ") on "
                + DAY.format(achievement.achievedAt()) + ", decided under level policy \""
                + achievement.policy().id() + "\" version " + achievement.policy().version() + ".");
        credential.set("issuer", profile());
        credential.put("validFrom", timestamp(issuedAt));
        if (achievement.validUntil() != null) {
            credential.put("validUntil", timestamp(achievement.validUntil()));
        }
        credential.set("credentialSubject", subject(achievement, framework, frameworkLevel, subject, rawAchievement));
        credential.set("evidence", evidence(achievement, framework));
        ObjectNode schema = json.objectNode()
                .put("id", ACHIEVEMENT_CREDENTIAL_SCHEMA)
                .put("type", SCHEMA_VALIDATOR_TYPE);
        credential.set("credentialSchema", json.arrayNode().add(schema));
        if (credentialStatus != null) {
            credential.set("credentialStatus", credentialStatus.deepCopy());
        }
        return credential;
    }

    /** The issuer {@code Profile}, as embedded in credentials and served at its id. */
    public ObjectNode profile() {
        return json.objectNode()
                .put("id", issuer.id())
                .<ObjectNode>set("type", strings("Profile"))
                .put("name", issuer.name())
                .put("url", issuer.url());
    }

    private ObjectNode subject(LevelAchieved achievement, Framework framework, FrameworkLevel level, SubjectIdentity identity,
            boolean rawAchievement) {
        ObjectNode subject = json.objectNode();
        subject.put("id", identity.id());
        subject.set("type", strings("AchievementSubject"));
        subject.set("identifier", identifiers(achievement.operator(), identity.salt()));
        if (rawAchievement) {
            subject.putRawValue("achievement", serialisedAchievement(framework, level));
        } else {
            subject.set("achievement", achievement(framework, level));
        }
        ObjectNode result = json.objectNode();
        result.set("type", strings("Result"));
        result.put("resultDescription", resultDescriptionId(framework, level.level()));
        result.put("achievedLevel", rubricLevelId(framework, level.level()));
        subject.set("result", json.arrayNode().add(result));
        return subject;
    }

    /**
     * The recipient's identifiers. The e-mail address never appears in clear: it is hashed with
     * the credential's salt, trimmed and lower-cased first so that the holder, or a verifier they
     * tell their address, can recompute the hash whatever capitalisation HR systems used. The
     * operator id stands in, hashed, when no e-mail is known: it is the HR system's identifier of
     * the person, i.e. a {@code sourcedId} (OB 3.0 IdentifierTypeEnum).
     */
    private ArrayNode identifiers(Operator operator, String salt) {
        ArrayNode identifiers = json.arrayNode();
        Optional<String> email = present(operator.email());
        if (email.isPresent()) {
            identifiers.add(hashedIdentity(email.get().toLowerCase(Locale.ROOT), "emailAddress", salt));
        } else {
            identifiers.add(hashedIdentity(operator.id(), "sourcedId", salt));
        }
        present(operator.name()).ifPresent(name -> identifiers.add(json.objectNode()
                .put("type", "IdentityObject")
                .put("identityHash", name)
                .put("identityType", "name")
                .put("hashed", false)));
        return identifiers;
    }

    private ObjectNode hashedIdentity(String identity, String identityType, String salt) {
        return json.objectNode()
                .put("type", "IdentityObject")
                .put("identityHash", IdentityHash.sha256(identity, salt).toString())
                .put("identityType", identityType)
                .put("hashed", true)
                .put("salt", salt);
    }

    /**
     * The achievement of {@code level} as JSON, built once per framework version and level. A
     * framework republished under the same id with other content is a different {@link Framework}
     * value and gets its achievement built again.
     */
    private RawValue serialisedAchievement(Framework framework, FrameworkLevel level) {
        AchievementKey key = new AchievementKey(framework.id(), level.level());
        SerialisedAchievement cached = serialisedAchievements.get(key);
        if (cached != null && (cached.framework() == framework || cached.framework().equals(framework))) {
            return cached.json();
        }
        try {
            // A SerializedString keeps its UTF-8 bytes, so each credential copies them instead of encoding again.
            RawValue json = new RawValue(new SerializedString(serialiser.writeValueAsString(achievement(framework, level))));
            serialisedAchievements.put(key, new SerialisedAchievement(framework, json));
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private record AchievementKey(FrameworkId framework, Level level) {}

    private record SerialisedAchievement(Framework framework, RawValue json) {}

    private ObjectNode achievement(Framework framework, FrameworkLevel level) {
        ObjectNode achievement = json.objectNode();
        achievement.put("id", urls.level(framework.id(), level.level()));
        achievement.set("type", strings("Achievement"));
        achievement.put("achievementType", "Competency");
        achievement.put("name", achievementName(framework, level));
        achievement.put("description", achievementDescription(framework, level));
        achievement.put("humanCode", framework.id() + "/" + level.level().id());
        achievement.put("version", framework.version());
        achievement.set("criteria", json.objectNode().put("narrative", criteria(framework, level)));
        ArrayNode alignment = json.arrayNode();
        for (Statement statement : level.statements()) {
            alignment.add(statementAlignment(framework, statement));
        }
        alignment.add(occupationAlignment(framework.occupation()));
        achievement.set("alignment", alignment);
        achievement.set("resultDescription", json.arrayNode().add(resultDescription(framework, level.level())));
        achievement.set("creator", profile());
        achievement.set("tag", strings(framework.title(), level.label(), framework.occupation().soc()));
        return achievement;
    }

    private ObjectNode statementAlignment(Framework framework, Statement statement) {
        ObjectNode alignment = json.objectNode();
        alignment.set("type", strings("Alignment"));
        alignment.put("targetName", statement.shortName());
        alignment.put("targetDescription", statement.text());
        alignment.put("targetUrl", urls.statement(statement.id()));
        alignment.put("targetCode", statement.id().toString());
        alignment.put("targetFramework", framework.title() + " " + framework.version());
        alignment.put("targetType", STATEMENT_TARGET_TYPE);
        return alignment;
    }

    private ObjectNode occupationAlignment(Occupation occupation) {
        ObjectNode alignment = json.objectNode();
        alignment.set("type", strings("Alignment"));
        alignment.put("targetName", occupation.title());
        alignment.put("targetDescription", "The occupation " + occupation.soc() + " (" + occupation.title()
                + ") of the " + OCCUPATION_FRAMEWORK + ", which this competency framework describes.");
        alignment.put("targetUrl", ONET_SUMMARY + occupation.soc());
        alignment.put("targetCode", occupation.soc());
        alignment.put("targetFramework", OCCUPATION_FRAMEWORK);
        alignment.put("targetType", OCCUPATION_TARGET_TYPE);
        return alignment;
    }

    /**
     * The framework's four levels as a rubric. The rubric levels are identified on the framework
     * page (one anchor per level) and shared by the four achievements; the description is the
     * level's own because its {@code requiredLevel} differs.
     */
    private ObjectNode resultDescription(Framework framework, Level required) {
        ObjectNode description = json.objectNode();
        description.put("id", resultDescriptionId(framework, required));
        description.set("type", strings("ResultDescription"));
        description.put("name", "Level in the " + framework.title() + " competency framework ("
                + framework.version() + ")");
        description.put("resultType", "RubricCriterionLevel");
        ArrayNode levels = json.arrayNode();
        for (FrameworkLevel level : framework.levels().values()) {
            ObjectNode rubricLevel = json.objectNode();
            rubricLevel.put("id", rubricLevelId(framework, level.level()));
            rubricLevel.set("type", strings("RubricCriterionLevel"));
            rubricLevel.put("name", level.label());
            rubricLevel.put("level", level.label());
            rubricLevel.put("description", "Level " + level.level().rank() + " of " + Level.values().length
                    + " (" + level.statements().size() + " competency statements, listed at "
                    + urls.level(framework.id(), level.level()) + ").");
            levels.add(rubricLevel);
        }
        description.set("rubricCriterionLevel", levels);
        description.put("requiredLevel", rubricLevelId(framework, required));
        return description;
    }

    private String resultDescriptionId(Framework framework, Level level) {
        return urls.level(framework.id(), level) + "#result";
    }

    private String rubricLevelId(Framework framework, Level level) {
        return urls.framework(framework.id()) + "#" + level.id();
    }

    private String criteria(Framework framework, FrameworkLevel level) {
        StringBuilder narrative = new StringBuilder()
                .append("Demonstrated, in workplace assessments recorded by the employer, the competency statements of the ")
                .append(level.label()).append(" level of the ").append(framework.title())
                .append(" competency framework (").append(framework.version())
                .append("), as the issuer's level policy requires:\n\n");
        for (Statement statement : level.statements()) {
            narrative.append(statement.id().position()).append(". **").append(statement.shortName()).append("** — ")
                    .append(statement.description()).append(" (`").append(statement.id()).append("`)\n");
        }
        return narrative.toString();
    }

    /**
     * The level, the framework's own scope statement, and the attribution its sources require:
     * O*NET data is licensed CC BY 4.0, which obliges every copy to credit USDOL/ETA.
     */
    private String achievementDescription(Framework framework, FrameworkLevel level) {
        StringBuilder description = new StringBuilder()
                .append("The ").append(level.label()).append(" level (").append(level.level().rank()).append(" of ")
                .append(Level.values().length).append(") of the ").append(framework.title())
                .append(" competency framework, version ").append(framework.version()).append('.');
        String scope = !framework.contextCovered().isBlank() ? framework.contextCovered() : framework.description();
        if (!scope.isBlank()) {
            description.append(' ').append(scope.strip());
        }
        description.append("\n\n").append(attribution(framework));
        return description.toString();
    }

    static String attribution(Framework framework) {
        Map<String, String> sources = framework.provenance().sources();
        StringBuilder attribution = new StringBuilder();
        String onet = sources.get("onet");
        if (onet != null) {
            attribution.append("Includes information from O*NET ").append(onet)
                    .append(" by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA),"
                            + " used under the CC BY 4.0 license (https://creativecommons.org/licenses/by/4.0/).");
        }
        sources.forEach((name, value) -> {
            if (!name.equals("onet")) {
                attribution.append(attribution.isEmpty() ? "" : " ")
                        .append("Source ").append(name).append(": ").append(value).append('.');
            }
        });
        String copyright = framework.provenance().attribution();
        if (copyright != null && !copyright.isBlank()) {
            attribution.append(attribution.isEmpty() ? "" : " ").append("Framework ").append(copyright.strip()).append('.');
        }
        return attribution.toString();
    }

    /**
     * One {@code Evidence} per demonstrated statement: which assessment event showed it, who
     * assessed and how. Only identifiers the operator's own HR system already shows them; no
     * names or contact details of assessors.
     */
    private ArrayNode evidence(LevelAchieved achievement, Framework framework) {
        ArrayNode evidence = json.arrayNode();
        for (DemonstratedStatement demonstrated : achievement.statements()) {
            Optional<Statement> statement = StatementId.parse(demonstrated.statementId()).flatMap(framework::statement);
            ObjectNode item = json.objectNode();
            item.set("type", strings("Evidence"));
            item.put("name", "Assessment: " + statement.map(Statement::shortName).orElse(demonstrated.statementId()));
            StringBuilder description = new StringBuilder("Statement ").append(demonstrated.statementId())
                    .append(" demonstrated in assessment event ").append(demonstrated.eventId());
            if (demonstrated.assessor() != null) {
                description.append(", assessed by ").append(demonstrated.assessor().id());
            }
            present(demonstrated.method()).ifPresent(method -> description.append(" (").append(method).append(')'));
            if (demonstrated.occurredAt() != null) {
                description.append(" on ").append(timestamp(demonstrated.occurredAt()));
            }
            description.append('.');
            if (demonstrated.expiresAt() != null) {
                description.append(" The pass counts until ").append(timestamp(demonstrated.expiresAt())).append('.');
            }
            item.put("description", description.toString());
            present(demonstrated.method()).ifPresent(method -> item.put("genre", method));
            evidence.add(item);
        }
        return evidence;
    }

    private static String achievementName(Framework framework, FrameworkLevel level) {
        return level.label() + " — " + framework.title() + " (" + framework.version() + ")";
    }

    /** RFC 3339 in UTC with whole seconds, e.g. {@code 2026-05-20T09:30:00Z}. */
    public static String timestamp(Instant instant) {
        return RFC_3339_SECONDS.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private ArrayNode strings(String... values) {
        ArrayNode array = json.arrayNode();
        List.of(values).forEach(array::add);
        return array;
    }

    private static Optional<String> present(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
