package io.credpipe.issuer.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.signing.HolderProof;
import io.credpipe.issuer.signing.SignedCredential;
import io.credpipe.issuer.signing.WalletCopies;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.DeliveryKind;
import io.credpipe.model.delivery.OfferEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * OpenID4VCI 1.0 wallet issuance, pre-authorized code flow, as plain logic the HTTP routes call:
 * offers (§4), the token endpoint (§6), the nonce endpoint (§7), the credential endpoint (§8) and the
 * notification endpoint ("Notification Endpoint"). Refusals are {@link OAuthError}s named exactly as
 * the specification names them.
 *
 * <p>Single use across instances is the offer log's ({@link OfferLedger}, {@link RedemptionRule});
 * access tokens, nonces and notification ids are self-contained ({@link WalletTokens}), so a wallet
 * may reach any instance for any step. What happens is recorded as delivery events: an offer made
 * ({@code OFFERED}), a copy received by a holder ({@code REDEEMED}, with the holder's DID: the
 * audit trail of which key got a copy when), and the wallet's notifications ({@code ACCEPTED},
 * {@code DELETED}).
 */
public final class WalletIssuance {

    /** What the operator's page shows for an offer. */
    public record OfferView(String offerLink, String credentialOfferUri, Optional<String> txCode, Instant expiresAt) {}

    /** Where an operator's credentials come from, with their current standing. */
    @FunctionalInterface
    public interface OperatorCredentials {
        /** Every credential issued to {@code operatorId}. */
        List<CredentialRecord> of(String operatorId);
    }

    private final WalletEndpoints endpoints;
    private final WalletSettings settings;
    private final OfferCodes codes;
    private final WalletTokens tokens;
    private final OfferLedger ledger;
    private final RedemptionRule rule;
    private final OperatorCredentials credentials;
    private final WalletCopies copies;
    private final DeliveryLog deliveries;
    private final Clock clock;

    public WalletIssuance(WalletEndpoints endpoints, WalletSettings settings, OfferCodes codes, WalletTokens tokens,
            OfferLedger ledger, OperatorCredentials credentials, WalletCopies copies, DeliveryLog deliveries,
            Clock clock) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.codes = Objects.requireNonNull(codes, "codes");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.rule = new RedemptionRule(settings.maxTxCodeAttempts());
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.copies = Objects.requireNonNull(copies, "copies");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The endpoints' URLs. */
    public WalletEndpoints endpoints() {
        return endpoints;
    }

    /**
     * The operator's current credential {@code credentialId}: empty when it is not theirs, not
     * known, or no longer current (revoked, suspended, expired), which cannot go to a wallet.
     */
    public Optional<CredentialRecord> offerable(String operatorId, String credentialId) {
        Instant now = clock.instant();
        return credentials.of(operatorId).stream()
                .filter(record -> record.issued().credentialId().equals(credentialId))
                .filter(record -> record.currentAt(now))
                .findFirst();
    }

    /**
     * Makes a new offer of {@code record}'s credential to its operator: writes it to the offer log
     * and records an {@code OFFERED} delivery event.
     */
    public OfferView offer(CredentialRecord record) {
        IssuedCredential issued = record.issued();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.offerLifetime()).truncatedTo(ChronoUnit.SECONDS);
        String offerId = codes.newOfferId();
        String code = codes.preAuthorizedCode(offerId);
        ledger.offer(OfferEvent.offered(OfferCodes.hash(code), issued.operatorId(), issued.credentialId(), expiresAt,
                settings.txCode(), now));
        deliveries.record(event(DeliveryKind.OFFERED, issued, now, "OpenID4VCI pre-authorized code offer", null));
        String offerUri = endpoints.offer(offerId);
        // §4.1.3: the offer by reference, so the QR code stays small; the custom scheme of §4.1.
        String link = "openid-credential-offer://?credential_offer_uri=" + URLEncoder.encode(offerUri, StandardCharsets.UTF_8);
        return new OfferView(link, offerUri, settings.txCode() ? Optional.of(codes.txCode(code)) : Optional.empty(),
                expiresAt);
    }

    /**
     * The Credential Offer (§4.1.1) an offer URI names; the same document every time it is fetched
     * while the offer lasts (wallets fetch it twice). Empty for an unknown or expired offer.
     */
    public Optional<ObjectNode> offerDocument(String offerId) {
        if (offerId == null || offerId.length() > 64) {
            return Optional.empty();
        }
        String code = codes.preAuthorizedCode(offerId);
        Optional<OfferEvent> offer = ledger.offered(OfferCodes.hash(code));
        if (offer.isEmpty() || !clock.instant().isBefore(offer.get().expiresAt())) {
            return Optional.empty();
        }
        OfferEvent offered = offer.get();
        Optional<CredentialRecord> record = credentials.of(offered.operatorId()).stream()
                .filter(r -> r.issued().credentialId().equals(offered.credentialId())).findFirst();
        if (record.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("credential_issuer", endpoints.issuer());
        document.putArray("credential_configuration_ids").add(
                IssuerMetadata.configurationId(record.get().issued().framework(), record.get().issued().level()));
        ObjectNode grant = document.putObject("grants").putObject(IssuerMetadata.PRE_AUTHORIZED_GRANT);
        grant.put("pre-authorized_code", code);
        if (Boolean.TRUE.equals(offered.txCodeRequired())) {
            grant.putObject("tx_code").put("input_mode", "numeric").put("length", OfferCodes.TX_CODE_LENGTH)
                    .put("description", "The six-digit code shown beside the QR code on your credpipe page");
        }
        return Optional.of(document);
    }

    /**
     * The token endpoint (§6): redeems a pre-authorized code once, across every instance, and answers
     * with an access token and no {@code authorization_details} (none were asked for, §6.2).
     *
     * @param form the form parameters of the token request
     */
    public ObjectNode token(Map<String, String> form) {
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw OAuthError.badRequest("invalid_request", "grant_type is missing");
        }
        if (!IssuerMetadata.PRE_AUTHORIZED_GRANT.equals(grantType)) {
            throw OAuthError.badRequest("unsupported_grant_type", "only the pre-authorized code grant is supported");
        }
        String code = form.get("pre-authorized_code");
        if (code == null || code.isEmpty()) {
            throw OAuthError.badRequest("invalid_request", "pre-authorized_code is missing");
        }
        Optional<OfferEvent> found = ledger.offered(OfferCodes.hash(code));
        if (found.isEmpty()) {
            throw OAuthError.badRequest("invalid_grant", "the pre-authorized code is not known");
        }
        OfferEvent offer = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(offer.expiresAt())) {
            throw OAuthError.badRequest("invalid_grant", "the pre-authorized code has expired");
        }
        String txCode = form.get("tx_code");
        boolean txRequired = Boolean.TRUE.equals(offer.txCodeRequired());
        // §6.3: a missing expected tx_code, or one given when none is expected, is invalid_request.
        if (txRequired && (txCode == null || txCode.isEmpty())) {
            throw OAuthError.badRequest("invalid_request", "this offer needs its tx_code");
        }
        if (!txRequired && txCode != null) {
            throw OAuthError.badRequest("invalid_request", "this offer has no tx_code");
        }
        boolean matched = !txRequired || codes.txCodeMatches(code, txCode);
        String claimId = UUID.randomUUID().toString();
        List<OfferEvent> history = ledger.claim(OfferEvent.claimed(offer.codeHash(), claimId, matched, now));
        switch (rule.decide(offer, history, claimId)) {
            case REDEEMED -> {
                // Continues below.
            }
            case ALREADY_REDEEMED -> throw OAuthError.badRequest("invalid_grant", "the pre-authorized code has been used");
            case WRONG_TX_CODE -> throw OAuthError.badRequest("invalid_grant", "the tx_code is wrong");
            case LOCKED -> throw OAuthError.badRequest("invalid_grant",
                    "too many wrong tx_code attempts: ask for a new offer");
            case EXPIRED -> throw OAuthError.badRequest("invalid_grant", "the pre-authorized code has expired");
        }
        Instant tokenExpiry = now.plus(settings.accessTokenLifetime()).truncatedTo(ChronoUnit.SECONDS);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("access_token", tokens.accessToken(
                new WalletTokens.Grant(offer.credentialId(), offer.operatorId(), tokenExpiry)));
        response.put("token_type", "Bearer");
        response.put("expires_in", settings.accessTokenLifetime().toSeconds());
        return response;
    }

    /** The nonce endpoint (§7.2): a fresh {@code c_nonce}. */
    public ObjectNode nonce() {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("c_nonce", tokens.nonce(clock.instant().plus(settings.nonceLifetime())));
        return response;
    }

    /**
     * The credential endpoint (§8): checks the access token and the key proof, and answers with a copy
     * of the offered credential bound to the holder the proof names (§8.3).
     *
     * @param accessToken the bearer token; null when the request had none
     * @param request the JSON body of the credential request (§8.2)
     */
    public ObjectNode credential(String accessToken, JsonNode request) {
        WalletTokens.Grant grant = grant(accessToken);
        if (request == null || !request.isObject()) {
            throw OAuthError.badRequest("invalid_credential_request", "the body is not a JSON object");
        }
        if (request.has("credential_identifier")) {
            throw OAuthError.badRequest("unknown_credential_identifier",
                    "this issuer hands out no credential identifiers; use credential_configuration_id");
        }
        JsonNode configurationId = request.get("credential_configuration_id");
        if (configurationId == null || !configurationId.isTextual()) {
            throw OAuthError.badRequest("invalid_credential_request", "credential_configuration_id is missing");
        }
        Optional<CredentialRecord> found = credentials.of(grant.operatorId()).stream()
                .filter(record -> record.issued().credentialId().equals(grant.credentialId())).findFirst();
        if (found.isEmpty()) {
            throw OAuthError.badRequest("credential_request_denied", "the offered credential is no longer available");
        }
        IssuedCredential issued = found.get().issued();
        String offeredConfiguration = IssuerMetadata.configurationId(issued.framework(), issued.level());
        if (!offeredConfiguration.equals(configurationId.asText())) {
            throw OAuthError.badRequest("unknown_credential_configuration",
                    "the access token is for " + offeredConfiguration + " only");
        }
        String proofJwt = singleJwtProof(request);
        Instant now = clock.instant();
        HolderProof.Verified proof;
        try {
            proof = HolderProof.verify(proofJwt, endpoints.issuer(), now);
        } catch (HolderProof.Rejected e) {
            throw OAuthError.badRequest("invalid_proof", e.getMessage());
        }
        if (!tokens.nonceValid(proof.nonce())) {
            throw OAuthError.badRequest("invalid_nonce", "the c_nonce is stale or unknown: get a new one");
        }
        if (!found.get().currentAt(now)) {
            throw OAuthError.badRequest("credential_request_denied", "the credential has been revoked, suspended or has expired");
        }
        SignedCredential copy = copies.bind(issued.jwt(), proof.holder());
        deliveries.record(event(DeliveryKind.REDEEMED, issued, now, "a copy bound to the holder's key, signed by "
                + copy.keyId(), proof.holder()));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.putArray("credentials").addObject().put("credential", copy.jwt());
        response.put("notification_id", tokens.notificationId(
                new WalletTokens.Delivered(issued.credentialId(), issued.operatorId(), proof.holder()),
                now.plus(java.time.Duration.ofDays(30))));
        return response;
    }

    /**
     * The notification endpoint: {@code credential_accepted} and {@code credential_deleted} become
     * {@code ACCEPTED} and {@code DELETED} delivery events; {@code credential_failure} is recorded as
     * nothing but accepted, as the specification asks.
     */
    public void notification(String accessToken, JsonNode request) {
        WalletTokens.Grant grant = grant(accessToken);
        if (request == null || !request.isObject() || !request.path("notification_id").isTextual()
                || !request.path("event").isTextual()) {
            throw OAuthError.badRequest("invalid_notification_request", "notification_id and event are required");
        }
        Optional<WalletTokens.Delivered> delivered = tokens.delivered(request.get("notification_id").asText());
        if (delivered.isEmpty() || !delivered.get().credentialId().equals(grant.credentialId())) {
            throw OAuthError.badRequest("invalid_notification_id", "the notification_id is not one this token received");
        }
        DeliveryKind kind = switch (request.get("event").asText()) {
            case "credential_accepted" -> DeliveryKind.ACCEPTED;
            case "credential_deleted" -> DeliveryKind.DELETED;
            case "credential_failure" -> null;
            default -> throw OAuthError.badRequest("invalid_notification_request", "unknown event");
        };
        if (kind == null) {
            return;
        }
        Optional<CredentialRecord> record = credentials.of(grant.operatorId()).stream()
                .filter(r -> r.issued().credentialId().equals(grant.credentialId())).findFirst();
        if (record.isEmpty()) {
            return;
        }
        String description = request.path("event_description").isTextual()
                ? truncate(request.get("event_description").asText()) : null;
        deliveries.record(event(kind, record.get().issued(), clock.instant(), description, delivered.get().holder()));
    }

    private WalletTokens.Grant grant(String accessToken) {
        return tokens.grant(accessToken).orElseThrow(() -> new OAuthError(401, "invalid_token",
                "the access token is missing, unknown or expired"));
    }

    /** The one {@code jwt} proof of a request: 1.0's {@code proofs}, or draft 13's {@code proof}. */
    private static String singleJwtProof(JsonNode request) {
        JsonNode proofs = request.get("proofs");
        JsonNode proof = request.get("proof");
        if (proofs != null && proof != null) {
            throw OAuthError.badRequest("invalid_credential_request", "both proof and proofs");
        }
        if (proofs != null) {
            JsonNode jwts = proofs.get("jwt");
            if (!proofs.isObject() || proofs.size() != 1 || jwts == null || !jwts.isArray() || jwts.size() == 0) {
                throw OAuthError.badRequest("invalid_proof", "proofs must hold a jwt array (the only proof type supported)");
            }
            if (jwts.size() > 1) {
                throw OAuthError.badRequest("invalid_proof", "one proof per request: batch issuance is not supported");
            }
            if (!jwts.get(0).isTextual()) {
                throw OAuthError.badRequest("invalid_proof", "a jwt proof is a string");
            }
            return jwts.get(0).asText();
        }
        if (proof != null && proof.isObject() && "jwt".equals(proof.path("proof_type").asText())
                && proof.path("jwt").isTextual()) {
            return proof.get("jwt").asText();
        }
        throw OAuthError.badRequest("invalid_proof", "the request has no jwt proof");
    }

    private static String truncate(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static DeliveryEvent event(DeliveryKind kind, IssuedCredential issued, Instant at, String detail, String holder) {
        return new DeliveryEvent(kind, issued.operatorId(), issued.credentialId(), issued.framework().toString(),
                issued.level().id(), at, detail, holder);
    }
}
