package io.credpipe.verifier.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.credential.DidWeb;
import io.credpipe.model.credential.StatusBitstring;
import io.credpipe.verifier.credential.CredentialPayload;
import io.credpipe.verifier.credential.ValidityPeriod;
import io.credpipe.verifier.jws.TrustedKeys;
import io.credpipe.verifier.jws.SignedJson;
import io.credpipe.verifier.json.StrictJson;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads a credential's standing from its {@code credentialStatus} and the issuer's status lists, following the
 * W3C Bitstring Status List v1.0 §3.2 "Validate Algorithm" for each {@code BitstringStatusListEntry}.
 *
 * <p>The status list credential must be secured like the credential (§3.6: same securing
 * mechanism), so it is verified as a compact JWS signed by one of the same trusted keys, issued by
 * the credential's issuer (§3.2 note "Issuer validation is use case dependent": credpipe trusts
 * only the credential's own issuer) and within its validity period (§7.2). Anything that keeps the
 * status from being read makes the standing unknown, which fails the credential: a status that
 * cannot be checked is never taken for a valid one.
 *
 * <p>One instance serves one verification: it fetches each status list once, however many
 * entries name it (a learner record's credentials share a few lists), failures included, so an
 * unreachable list costs one timeout, not one per credential.
 */
public final class StatusListReader {

    /** The status entry type read (§2.1). */
    public static final String ENTRY_TYPE = "BitstringStatusListEntry";
    /** The status list credential type (§2.2). */
    public static final String LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential";
    /** The status list (credential subject) type (§2.2). */
    public static final String LIST_TYPE = "BitstringStatusList";

    static final String REVOCATION = "revocation";
    static final String SUSPENSION = "suspension";
    static final String MESSAGE = "message";

    /** Larger entries are allowed by §2.1 but no issuer needs more than 8 bits of status. */
    static final int MAX_STATUS_SIZE = 8;

    /** §2.1: statusListIndex is an integer ≥ 0 written in base 10. */
    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]*");

    private final StatusListSource source;
    private final TrustedKeys keys;
    private final VerifiedLists verifiedLists;
    private final Clock clock;
    private final Duration clockSkew;
    /** What {@link #source} gave for each list URL so far. */
    private final Map<URI, Fetched> fetched = new HashMap<>();

    /** A fetched list: the token, or why there is none. */
    private record Fetched(String token, String failure) {}

    /**
     * Creates a reader for one verification.
     *
     * @param source    where status lists come from
     * @param keys      the keys a status list must be signed with: the credential's issuer's
     * @param clock     the clock validity periods are checked against
     * @param clockSkew how far the issuer's clock may differ from ours
     * @param verifiedLists the lists whose signatures this verifier checked before
     */
    public StatusListReader(StatusListSource source, TrustedKeys keys, Clock clock, Duration clockSkew,
            VerifiedLists verifiedLists) {
        this.verifiedLists = Objects.requireNonNull(verifiedLists, "verifiedLists");
        this.source = Objects.requireNonNull(source, "source");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
    }

    /**
     * Reads every entry of {@code credentialStatus} (one object or an array, VC 2.0 §4.10); the
     * worst standing counts.
     *
     * @param credentialStatus the credential's {@code credentialStatus}, not empty
     * @param issuerId         the credential's issuer id, or {@code null} when it has none
     * @return the standing; its detail names every entry when there are several
     */
    public StatusStanding standing(JsonNode credentialStatus, String issuerId) {
        List<JsonNode> entries = new ArrayList<>();
        if (credentialStatus.isArray()) {
            credentialStatus.forEach(entries::add);
        } else {
            entries.add(credentialStatus);
        }
        List<StatusStanding> standings = entries.stream().map(entry -> entry(entry, issuerId)).toList();
        StatusStanding worst = standings.stream().min(Comparator.comparing(StatusStanding::state)).orElseThrow();
        String detail = standings.size() == 1 ? worst.detail() : String.join("; ",
                standings.stream().map(StatusStanding::describe).toList());
        return new StatusStanding(worst.state(), detail);
    }

    private StatusStanding entry(JsonNode entry, String issuerId) {
        if (!entry.isObject()) {
            return unknown("a credentialStatus entry is not an object: " + shorten(entry.toString()));
        }
        List<String> types = strings(entry.get("type"));
        if (!types.contains(ENTRY_TYPE)) {
            return unknown("credentialStatus type " + (types.isEmpty() ? "(none)" : String.join(", ", types))
                    + " is not supported; this verifier reads " + ENTRY_TYPE + " (Bitstring Status List v1.0)");
        }
        String purpose = text(entry.get("statusPurpose"));
        if (purpose == null) {
            return unknown("the status entry has no statusPurpose (§2.1)");
        }
        int statusSize;
        JsonNode sizeNode = entry.get("statusSize");
        if (sizeNode == null) {
            statusSize = 1; // §2.1: "If statusSize is not present, the statusSize is 1"
        } else if (!sizeNode.canConvertToExactIntegral() || sizeNode.asLong() < 1 || sizeNode.asLong() > MAX_STATUS_SIZE) {
            return unknown("statusSize " + sizeNode + " is not supported: a positive integer up to " + MAX_STATUS_SIZE);
        } else {
            statusSize = sizeNode.asInt();
        }
        switch (purpose) {
            case REVOCATION, SUSPENSION -> {
                if (statusSize != 1) {
                    return unknown("a " + purpose + " entry of statusSize " + statusSize
                            + " is not supported: a " + purpose + " status is one bit");
                }
            }
            case MESSAGE -> {
                JsonNode messages = entry.get("statusMessage");
                // §2.1: statusMessage MUST be present when statusSize is more than 1 (and message lists have one).
                if (messages == null || !messages.isArray() || messages.isEmpty()) {
                    return unknown("a message entry needs a statusMessage list (§2.1)");
                }
            }
            default -> {
                return unknown("statusPurpose \"" + purpose + "\" is not supported; supported: "
                        + REVOCATION + ", " + SUSPENSION + ", " + MESSAGE);
            }
        }
        String indexText = text(entry.get("statusListIndex"));
        if (indexText == null || !INDEX.matcher(indexText).matches()) {
            return unknown("statusListIndex must be a non-negative integer written in base 10 (§2.1), was "
                    + entry.get("statusListIndex"));
        }
        String listUrl = text(entry.get("statusListCredential"));
        URI list;
        try {
            list = listUrl == null ? null : new URI(listUrl);
        } catch (URISyntaxException e) {
            list = null;
        }
        if (list == null || !list.isAbsolute()) {
            return unknown("statusListCredential must be a URL (§2.1), was " + entry.get("statusListCredential"));
        }
        String where = "entry " + indexText + " of " + listUrl;

        Fetched token = fetched.computeIfAbsent(list, this::fetch);
        if (token.failure() != null) {
            // §3.2 step 4: STATUS_RETRIEVAL_ERROR.
            return unknown("cannot retrieve the status list " + listUrl + ": " + token.failure());
        }
        SignedJson verified = verifiedLists.verify(token.token(), keys);
        if (verified.failure() != null) {
            // §3.2 step 4: STATUS_VERIFICATION_ERROR.
            return unknown("the status list " + listUrl + " does not verify: " + verified.failure());
        }
        String problem = listProblem(verified.payload(), listUrl, issuerId, purpose);
        if (problem != null) {
            return unknown("the status list " + listUrl + " is not valid: " + problem);
        }
        StatusBitstring bits;
        try {
            bits = verifiedLists.expand(text(verified.payload().get("credentialSubject").get("encodedList")), statusSize);
        } catch (IllegalArgumentException e) {
            return unknown("the status list " + listUrl + " is not valid: " + e.getMessage());
        }
        // §3.2 step 9: STATUS_LIST_LENGTH_ERROR below the minimum (herd privacy, §6.1).
        if (bits.entries() < StatusBitstring.MINIMUM_ENTRIES) {
            return unknown("the status list " + listUrl + " holds " + bits.entries() + " entries of "
                    + statusSize + (statusSize == 1 ? " bit" : " bits") + ", fewer than the "
                    + StatusBitstring.MINIMUM_ENTRIES + " required (§3.2 step 9)");
        }
        BigInteger index = new BigInteger(indexText);
        if (index.compareTo(BigInteger.valueOf(bits.entries())) >= 0) {
            // §3.2 step 10: RANGE_ERROR.
            return unknown("statusListIndex " + indexText + " is outside the list's " + bits.entries()
                    + " entries (§3.2 step 10)");
        }
        int value = bits.status(index.intValueExact());
        return standing(purpose, value, statusSize, entry.get("statusMessage"), where);
    }

    private Fetched fetch(URI list) {
        try {
            String token = source.fetch(list);
            return token == null ? new Fetched(null, "nothing was returned") : new Fetched(token, null);
        } catch (IOException | RuntimeException e) {
            return new Fetched(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** §3.2 steps 12–14: 0 is valid; otherwise the purpose (or, for message lists, the value's bits) says what. */
    private static StatusStanding standing(String purpose, int value, int statusSize, JsonNode messages, String where) {
        String hex = "0x" + Integer.toHexString(value);
        switch (purpose) {
            case REVOCATION:
                return value == 0
                        ? new StatusStanding(StatusStanding.State.VALID, "not revoked: " + where + " is 0")
                        : new StatusStanding(StatusStanding.State.REVOKED, "revoked: " + where + " (statusPurpose revocation) is set");
            case SUSPENSION:
                return value == 0
                        ? new StatusStanding(StatusStanding.State.VALID, "not suspended: " + where + " is 0")
                        : new StatusStanding(StatusStanding.State.SUSPENDED, "suspended: " + where + " (statusPurpose suspension) is set");
            default:
                String message = message(messages, value);
                String said = "status " + hex + (message == null ? " (no statusMessage for this value)" : " \"" + message + "\"")
                        + " in " + where;
                if (value == 0) {
                    return new StatusStanding(StatusStanding.State.VALID, said);
                }
                // credpipe's two-bit message entries: the low bit says revoked, the high bit suspended.
                return new StatusStanding((value & 1) != 0 ? StatusStanding.State.REVOKED : StatusStanding.State.SUSPENDED, said);
        }
    }

    /** The statusMessage whose status (0x + hexadecimal, §2.1) is {@code value}. */
    private static String message(JsonNode messages, int value) {
        if (messages == null || !messages.isArray()) {
            return null;
        }
        for (JsonNode item : messages) {
            String status = text(item.get("status"));
            if (status != null && status.toLowerCase(Locale.ROOT).startsWith("0x")) {
                try {
                    if (Integer.parseInt(status.substring(2), 16) == value) {
                        return text(item.get("message"));
                    }
                } catch (NumberFormatException e) {
                    // a malformed status value names no entry; keep looking
                }
            }
        }
        return null;
    }

    /** Why a verified status list payload cannot be used for this entry, or {@code null}. */
    private String listProblem(JsonNode list, String listUrl, String issuerId, String purpose) {
        if (!strings(list.get("type")).contains(LIST_CREDENTIAL_TYPE)) {
            return "its type does not include " + LIST_CREDENTIAL_TYPE + " (§2.2)";
        }
        String id = text(list.get("id"));
        if (!listUrl.equals(id)) {
            // §2.2: the status list credential's id matches the entry's statusListCredential.
            return "its id " + (id == null ? "is missing" : "\"" + id + "\"") + " does not match statusListCredential (§2.2)";
        }
        String iss = text(list.get("iss"));
        if (iss == null) {
            return "it has no iss claim";
        }
        // The same issuer under its DID or its https profile URL (DidWeb#sameIssuer): a list signed
        // since credpipe took its did:web as issuer id still speaks for credentials issued before.
        if (issuerId == null || !DidWeb.sameIssuer(issuerId, iss)) {
            return "it was issued by \"" + iss + "\", not by the credential's issuer"
                    + (issuerId == null ? "" : " \"" + issuerId + "\"");
        }
        JsonNode issuer = list.get("issuer");
        String listIssuer = issuer != null && issuer.isObject() ? text(issuer.get("id")) : text(issuer);
        if (!iss.equals(listIssuer)) {
            return "its iss \"" + iss + "\" does not match its issuer " + issuer;
        }
        String period = validityProblem(list);
        if (period != null) {
            return period;
        }
        JsonNode subject = list.get("credentialSubject");
        if (subject == null || !subject.isObject()) {
            return "its credentialSubject is not a " + LIST_TYPE + " object (§2.2)";
        }
        if (!strings(subject.get("type")).contains(LIST_TYPE)) {
            return "its credentialSubject type is not " + LIST_TYPE + " (§2.2)";
        }
        List<String> purposes = strings(subject.get("statusPurpose"));
        if (!purposes.contains(purpose)) {
            // §3.2 step 5: STATUS_VERIFICATION_ERROR.
            return "its statusPurpose " + (purposes.isEmpty() ? "(none)" : String.join(", ", purposes))
                    + " does not include the entry's \"" + purpose + "\" (§3.2 step 5)";
        }
        if (text(subject.get("encodedList")) == null) {
            return "it has no encodedList (§2.2)";
        }
        return null;
    }

    /** §7.2: a status list outside its validity period says nothing about now. */
    private String validityProblem(JsonNode list) {
        ValidityPeriod period = ValidityPeriod.ALWAYS;
        for (String name : List.of("validFrom", "validUntil")) {
            JsonNode node = list.get(name);
            if (node != null && !node.isNull()) {
                Instant at = CredentialPayload.dateTime(text(node));
                if (at == null) {
                    return name + " " + node + " is not a date-time with a time zone";
                }
                period = period.within(name.equals("validFrom") ? new ValidityPeriod(at, null) : new ValidityPeriod(null, at));
            }
        }
        for (String name : List.of("nbf", "exp")) {
            JsonNode node = list.get(name);
            if (node != null && !node.isNull()) {
                Instant at = CredentialPayload.numericDate(node);
                if (at == null) {
                    return "the " + name + " claim must be a NumericDate, was " + node;
                }
                period = period.within(name.equals("nbf") ? new ValidityPeriod(at, null) : new ValidityPeriod(null, at));
            }
        }
        Instant now = clock.instant();
        if (period.notYetValid(now, clockSkew)) {
            return "it is not valid yet: valid from " + period.validFrom() + ", it is now " + now;
        }
        if (period.expired(now, clockSkew)) {
            return "it expired at " + period.validUntil() + ", it is now " + now;
        }
        return null;
    }

    private static StatusStanding unknown(String why) {
        return new StatusStanding(StatusStanding.State.UNKNOWN, why);
    }

    private static String text(JsonNode node) {
        return StrictJson.string(node);
    }

    /** A JSON-LD set of strings: one string or an array of them. */
    private static List<String> strings(JsonNode node) {
        return StrictJson.strings(node);
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
