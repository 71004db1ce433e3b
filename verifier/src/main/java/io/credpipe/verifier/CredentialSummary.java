package io.credpipe.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.credential.IdentityHash;
import io.credpipe.verifier.credential.CredentialPayload;
import io.credpipe.verifier.json.StrictJson;
import io.credpipe.verifier.status.StatusStanding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verified Open Badges 3.0 credential says, in the terms an employer asks about: who holds
 * it, what achievement at which level, which framework statements it aligns to, who issued it and
 * for how long it is valid.
 *
 * <p>A summary is only ever built from a payload whose signature verified with a trusted key (see
 * {@link VerificationReport#summary()}). Text fields are {@code null} when the credential does not
 * carry them; lists are never {@code null}.
 *
 * @param subject      the holder (OB 3.0 {@code AchievementSubject})
 * @param achievement  the achievement awarded
 * @param level        the level achieved: the name of the {@code RubricCriterionLevel} the
 *                     subject's {@code result[].achievedLevel} points at, else the achievement name
 * @param framework    the framework the achievement aligns to: the {@code targetFramework} most of
 *                     its alignments name, or {@code null} if none does
 * @param statements   every alignment of the achievement, in credential order
 * @param issuerId     the issuer's id ({@code issuer} or {@code issuer.id})
 * @param issuerName   the issuer's name, or {@code null}
 * @param credentialId the credential's {@code id}
 * @param validFrom    when the credential became valid ({@code validFrom})
 * @param validUntil   when it stops being valid ({@code validUntil}), or {@code null} for never
 * @param keyId        the {@code kid} of the key that signed it
 * @param algorithm    the JWS {@code alg} it was signed with, e.g. {@code ES256}
 * @param status       what the issuer's status lists say (W3C Bitstring Status List v1.0): valid,
 *                     revoked, suspended, unknown, or not checked; empty when the credential has no
 *                     {@code credentialStatus}
 */
public record CredentialSummary(
        Subject subject,
        Achievement achievement,
        String level,
        String framework,
        List<Alignment> statements,
        String issuerId,
        String issuerName,
        String credentialId,
        Instant validFrom,
        Instant validUntil,
        String keyId,
        String algorithm,
        Optional<StatusStanding> status) {

    /**
     * Creates a summary.
     *
     * @param subject      the holder
     * @param achievement  the achievement awarded
     * @param level        the level achieved
     * @param framework    the framework most alignments name, or {@code null}
     * @param statements   every alignment of the achievement
     * @param issuerId     the issuer's id
     * @param issuerName   the issuer's name, or {@code null}
     * @param credentialId the credential's id
     * @param validFrom    when the credential became valid
     * @param validUntil   when it stops being valid, or {@code null}
     * @param keyId        the signing key's id
     * @param algorithm    the JWS algorithm
     * @param status       the standing from the status lists, empty without {@code credentialStatus}
     * @throws NullPointerException if {@code subject}, {@code achievement}, {@code statements},
     *                              {@code issuerId}, {@code validFrom}, {@code keyId},
     *                              {@code algorithm} or {@code status} is {@code null}
     */
    public CredentialSummary {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(achievement, "achievement");
        statements = List.copyOf(statements);
        Objects.requireNonNull(issuerId, "issuerId");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(status, "status");
    }

    /**
     * Creates a summary of a credential without {@code credentialStatus}.
     *
     * @param subject      the holder
     * @param achievement  the achievement awarded
     * @param level        the level achieved
     * @param framework    the framework most alignments name, or {@code null}
     * @param statements   every alignment of the achievement
     * @param issuerId     the issuer's id
     * @param issuerName   the issuer's name, or {@code null}
     * @param credentialId the credential's id
     * @param validFrom    when the credential became valid
     * @param validUntil   when it stops being valid, or {@code null}
     * @param keyId        the signing key's id
     * @param algorithm    the JWS algorithm
     */
    public CredentialSummary(Subject subject, Achievement achievement, String level, String framework,
            List<Alignment> statements, String issuerId, String issuerName, String credentialId, Instant validFrom,
            Instant validUntil, String keyId, String algorithm) {
        this(subject, achievement, level, framework, statements, issuerId, issuerName, credentialId, validFrom,
                validUntil, keyId, algorithm, Optional.empty());
    }

    /**
     * Whether the holder is the person with this e-mail address, following OB 3.0 §9.3 "Verify the
     * Recipient Using an Identifier": every {@code identifier} of type {@code emailAddress} is
     * compared, hashed ones through their {@link IdentityHash} and salt, plain ones directly.
     *
     * <p>Besides the address exactly as given, its trimmed lower-case form is tried too: mail
     * domains are case-insensitive (RFC 5321 §2.4) and issuers commonly normalise before hashing,
     * so an employer typing {@code Dana@Example.com} still matches.
     *
     * @param email the e-mail address the employer knows for the applicant; never logged
     * @return {@code true} if an e-mail identifier of the subject matches
     */
    public boolean matchesEmail(String email) {
        Objects.requireNonNull(email, "email");
        List<String> candidates = new ArrayList<>(List.of(email));
        String normalised = email.strip().toLowerCase(Locale.ROOT);
        if (!normalised.equals(email)) {
            candidates.add(normalised);
        }
        for (Identity identity : subject.identifiers()) {
            if (!Identity.EMAIL_ADDRESS.equals(identity.identityType()) || identity.identityHash() == null) {
                continue;
            }
            if (identity.hashed()) {
                var hash = IdentityHash.parse(identity.identityHash());
                if (hash.isPresent() && candidates.stream().anyMatch(c -> hash.get().matches(c, identity.salt()))) {
                    return true;
                }
            } else if (candidates.stream().anyMatch(c -> c.equals(identity.identityHash())
                    || c.equals(identity.identityHash().strip().toLowerCase(Locale.ROOT)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The summary of a verified credential whose {@link CredentialPayload#problems()} are empty.
     *
     * @param credential the credential
     * @param keyId      the signing key's id
     * @param algorithm  the JWS algorithm
     * @param validFrom  the parsed {@code validFrom}
     * @param validUntil the effective expiry (from {@code exp} or {@code validUntil}), or {@code null}
     * @param status     the standing from the status lists, empty when the credential has no credentialStatus
     */
    static CredentialSummary of(CredentialPayload credential, String keyId, String algorithm, Instant validFrom, Instant validUntil,
            Optional<StatusStanding> status) {
        JsonNode subjectNode = credential.json().get("credentialSubject");
        JsonNode achievementNode = subjectNode.get("achievement");

        List<CredentialSummary.Identity> identities = new ArrayList<>();
        for (JsonNode identifier : StrictJson.items(subjectNode.get("identifier"))) {
            identities.add(new CredentialSummary.Identity(
                    StrictJson.text(identifier.get("identityType")),
                    identifier.path("hashed").asBoolean(false),
                    StrictJson.text(identifier.get("identityHash")),
                    StrictJson.text(identifier.get("salt"))));
        }
        List<String> names = identities.stream()
                .filter(i -> CredentialSummary.Identity.NAME.equals(i.identityType()) && !i.hashed() && i.identityHash() != null)
                .map(CredentialSummary.Identity::identityHash)
                .toList();
        boolean emailHash = identities.stream()
                .anyMatch(i -> CredentialSummary.Identity.EMAIL_ADDRESS.equals(i.identityType()) && i.hashed());
        CredentialSummary.Subject subject = new CredentialSummary.Subject(credential.subjectId(), names, emailHash, identities);

        CredentialSummary.Achievement achievement = new CredentialSummary.Achievement(
                StrictJson.text(achievementNode.get("id")), StrictJson.text(achievementNode.get("name")), StrictJson.text(achievementNode.get("achievementType")));

        List<CredentialSummary.Alignment> alignments = new ArrayList<>();
        for (JsonNode alignment : StrictJson.items(achievementNode.get("alignment"))) {
            alignments.add(new CredentialSummary.Alignment(
                    StrictJson.text(alignment.get("targetCode")),
                    StrictJson.text(alignment.get("targetName")),
                    StrictJson.text(alignment.get("targetUrl")),
                    StrictJson.text(alignment.get("targetFramework")),
                    StrictJson.text(alignment.get("targetType"))));
        }
        String level = achievedLevel(subjectNode, achievementNode);
        return new CredentialSummary(
                subject,
                achievement,
                level == null ? achievement.name() : level,
                CredentialSummary.mostNamedFramework(alignments),
                alignments,
                credential.issuerId(),
                credential.issuerName(),
                credential.credentialId(),
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
        for (JsonNode result : StrictJson.items(subject.get("result"))) {
            String achieved = StrictJson.text(result.get("achievedLevel"));
            if (achieved == null) {
                continue;
            }
            String description = StrictJson.text(result.get("resultDescription"));
            for (JsonNode resultDescription : StrictJson.items(achievement.get("resultDescription"))) {
                if (description != null && !description.equals(StrictJson.text(resultDescription.get("id")))) {
                    continue;
                }
                for (JsonNode level : StrictJson.items(resultDescription.get("rubricCriterionLevel"))) {
                    if (achieved.equals(StrictJson.text(level.get("id"))) && StrictJson.text(level.get("name")) != null) {
                        return StrictJson.text(level.get("name"));
                    }
                }
            }
        }
        return null;
    }

    /** The {@code targetFramework} most alignments name; on a tie, the one named first. */
    static String mostNamedFramework(List<Alignment> alignments) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Alignment alignment : alignments) {
            if (alignment.targetFramework() != null) {
                counts.merge(alignment.targetFramework(), 1, Integer::sum);
            }
        }
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            if (entry.getValue() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }

    /**
     * The holder of the credential (OB 3.0 {@code AchievementSubject}).
     *
     * @param id               the subject's {@code id} (e.g. a wallet DID), or {@code null}
     * @param names            the plaintext names among the subject's identifiers (type {@code name})
     * @param emailHashPresent whether an identifier carries a hashed e-mail address, which
     *                         {@link CredentialSummary#matchesEmail(String)} can check
     * @param identifiers      every {@code IdentityObject} of the subject, in credential order
     */
    public record Subject(String id, List<String> names, boolean emailHashPresent, List<Identity> identifiers) {

        /**
         * Creates a subject.
         *
         * @param id               the subject's id, or {@code null}
         * @param names            the plaintext names
         * @param emailHashPresent whether a hashed e-mail identifier is present
         * @param identifiers      every identity object
         * @throws NullPointerException if a list is {@code null}
         */
        public Subject {
            names = List.copyOf(names);
            identifiers = List.copyOf(identifiers);
        }
    }

    /**
     * One OB 3.0 {@code IdentityObject} of the subject.
     *
     * @param identityType the identifier type, e.g. {@code emailAddress} or {@code name}
     * @param hashed       whether {@code identityHash} is an {@link IdentityHash} or the plaintext value
     * @param identityHash the hash or plaintext value
     * @param salt         the salt appended before hashing, or {@code null}
     */
    public record Identity(String identityType, boolean hashed, String identityHash, String salt) {

        /** The {@code identityType} of e-mail addresses. */
        public static final String EMAIL_ADDRESS = "emailAddress";

        /** The {@code identityType} of a person's name. */
        public static final String NAME = "name";
    }

    /**
     * The achievement a credential awards (OB 3.0 {@code Achievement}).
     *
     * @param id              the achievement's id
     * @param name            its name
     * @param achievementType its {@code achievementType}, e.g. {@code Competency}, or {@code null}
     */
    public record Achievement(String id, String name, String achievementType) {}

    /**
     * One alignment of the achievement to a framework node (OB 3.0 {@code Alignment}): for credpipe
     * credentials, one competency statement or the occupation.
     *
     * @param targetCode      the node's code within its framework, e.g. a statement id, or {@code null}
     * @param targetName      the node's name
     * @param targetUrl       where the node is described
     * @param targetFramework the framework's name, or {@code null}
     * @param targetType      the node's type, e.g. {@code ext:CompetencyStatement}, or {@code null}
     */
    public record Alignment(
            String targetCode, String targetName, String targetUrl, String targetFramework, String targetType) {}
}
