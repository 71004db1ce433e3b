package io.credpipe.issuer.status;

import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.credential.IssuerProfile;

import io.credpipe.model.credential.StatusBitstring;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.credential.PublicUrls;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * The issuer's W3C Bitstring Status Lists (https://www.w3.org/TR/vc-bitstring-status-list/): their
 * ids and URLs, the {@code credentialStatus} entry of a credential, and the unsigned
 * {@code BitstringStatusListCredential} of a list.
 *
 * <p>A list id is {@code {partition}-{sequence}}: lists belong to one partition of
 * {@code achievements}, so the one stream task that owns the partition allocates their indexes
 * (DESIGN.md "Credential (issuer)").
 *
 * <p>Every new entry is a one-bit {@code revocation} entry (§2.1), the purpose every verifier
 * acts on; a suspension is a revocation with its reason recorded (see {@link StatusRules}). Lists
 * created before that hold two-bit {@code message} entries (see {@link CredentialStanding}): they
 * keep being served and read for the credentials that point to them, and get no new entries.
 */
public final class StatusLists {

    /** Entries per list: the §6.1 minimum, which keeps each list's herd as large as required. */
    public static final int ENTRIES = StatusBitstring.MINIMUM_ENTRIES;
    /** Path of the status list credentials under the public base URL. */
    public static final String PATH = "/v1/status/";

    private static final Pattern LIST_ID = Pattern.compile("(0|[1-9][0-9]{0,8})-(0|[1-9][0-9]{0,8})");

    private final PublicUrls urls;
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    public StatusLists(PublicUrls urls) {
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    /** The id of list {@code sequence} of {@code partition}. */
    public static String listId(int partition, int sequence) {
        if (partition < 0 || sequence < 0) {
            throw new IllegalArgumentException("partition and sequence are non-negative");
        }
        return partition + "-" + sequence;
    }

    /** Whether {@code text} is a list id. */
    public static boolean isListId(String text) {
        return text != null && LIST_ID.matcher(text).matches();
    }

    /** The purpose of every new list and entry. */
    public static final String REVOCATION = "revocation";

    /** A {@code revocation} list with no status set. */
    public static StatusListState empty(String listId, Instant now) {
        return new StatusListState(listId, REVOCATION, ENTRIES, StatusBitstring.empty(ENTRIES, 1).encode(), now);
    }

    /**
     * A two-bit {@code message} list with no status set, as lists were created before suspension
     * became a revocation; for reading and testing those lists.
     */
    public static StatusListState emptyMessageList(String listId, Instant now) {
        return new StatusListState(listId, CredentialStanding.STATUS_PURPOSE, ENTRIES,
                StatusBitstring.empty(ENTRIES, CredentialStanding.STATUS_SIZE).encode(), now);
    }

    /** Whether {@code state} is a one-bit {@code revocation} list (else a two-bit {@code message} list). */
    public static boolean isRevocationList(StatusListState state) {
        return REVOCATION.equals(state.purpose());
    }

    /** The bits of {@code state}: one per entry for a {@code revocation} list, two for a {@code message} list. */
    public static StatusBitstring bits(StatusListState state) {
        return StatusBitstring.decode(state.encodedList(), state.length(),
                isRevocationList(state) ? 1 : CredentialStanding.STATUS_SIZE);
    }

    /** What entry {@code index} of {@code state} says: a set revocation bit reads as revoked. */
    public static CredentialStanding standing(StatusListState state, int index) {
        return reader(state).apply(index);
    }

    /** What each entry of {@code state} says, by index, the list decoded once. */
    public static IntFunction<CredentialStanding> reader(StatusListState state) {
        StatusBitstring bits = bits(state);
        return isRevocationList(state)
                ? index -> new CredentialStanding(bits.status(index) == 1, false)
                : index -> CredentialStanding.of(bits.status(index));
    }

    /** The URL of list {@code listId}'s status list credential: its {@code id} and where it is served. */
    public String credentialUrl(String listId) {
        return urls.base() + PATH + listId;
    }

    /**
     * The {@code credentialStatus} of a credential whose status is entry {@code index} of list
     * {@code listId} (§2.1 {@code BitstringStatusListEntry}): {@code statusPurpose}
     * {@code revocation}, one bit ({@code statusSize} absent, so 1). Its {@code id}, which OB 3.0's
     * {@code CredentialStatus} requires, is the list URL with the index as fragment: §2.1 allows any
     * URL except the list's own.
     */
    public ObjectNode entry(String listId, int index) {
        String list = credentialUrl(listId);
        ObjectNode entry = json.objectNode();
        entry.put("id", list + "#" + index);
        entry.put("type", "BitstringStatusListEntry");
        entry.put("statusPurpose", REVOCATION);
        entry.put("statusListIndex", Integer.toString(index));
        entry.put("statusListCredential", list);
        return entry;
    }

    /**
     * The two-bit {@code message} entry credentials were issued with before suspension became a
     * revocation (see {@link CredentialStanding}); for reading and testing those credentials.
     */
    public ObjectNode messageEntry(String listId, int index) {
        String list = credentialUrl(listId);
        ObjectNode entry = json.objectNode();
        entry.put("id", list + "#" + index);
        entry.put("type", "BitstringStatusListEntry");
        entry.put("statusPurpose", CredentialStanding.STATUS_PURPOSE);
        entry.put("statusListIndex", Integer.toString(index));
        entry.put("statusSize", CredentialStanding.STATUS_SIZE);
        ArrayNode messages = entry.putArray("statusMessage");
        for (CredentialStanding.StatusMessage message : CredentialStanding.MESSAGES) {
            messages.addObject().put("status", message.status()).put("message", message.message());
        }
        entry.put("statusListCredential", list);
        return entry;
    }

    /**
     * Where a credential's status is: the list id and index of its {@code credentialStatus} when it
     * is one of this issuer's entries.
     */
    public Optional<Position> position(JsonNode credential) {
        JsonNode status = credential.get("credentialStatus");
        if (status == null || !status.isObject()) {
            return Optional.empty();
        }
        String list = status.path("statusListCredential").asText("");
        String prefix = urls.base() + PATH;
        if (!list.startsWith(prefix) || !isListId(list.substring(prefix.length()))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Position(list.substring(prefix.length()),
                    Integer.parseInt(status.path("statusListIndex").asText(""))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The unsigned {@code BitstringStatusListCredential} of {@code state} (§2.2), issued by
     * {@code issuer} and valid from the list's last change. It has no {@code validUntil}: verifiers
     * refetch it as the HTTP caching headers say.
     */
    public ObjectNode credential(StatusListState state, IssuerProfile issuer) {
        String id = credentialUrl(state.listId());
        ObjectNode credential = json.objectNode();
        credential.putArray("@context").add(CredentialAssembler.VC_CONTEXT);
        credential.put("id", id);
        credential.putArray("type").add("VerifiableCredential").add("BitstringStatusListCredential");
        credential.set("issuer", json.objectNode().put("id", issuer.id()).put("name", issuer.name()));
        credential.put("validFrom", CredentialAssembler.timestamp(state.updatedAt()));
        ObjectNode subject = credential.putObject("credentialSubject");
        subject.put("id", id + "#list");
        subject.put("type", "BitstringStatusList");
        subject.put("statusPurpose", state.purpose());
        subject.put("encodedList", state.encodedList());
        return credential;
    }

    /**
     * A credential's entry in a status list.
     *
     * @param listId the list
     * @param index the entry
     */
    public record Position(String listId, int index) {}
}
