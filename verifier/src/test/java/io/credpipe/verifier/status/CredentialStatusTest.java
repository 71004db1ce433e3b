package io.credpipe.verifier.status;

import static io.credpipe.verifier.TestIssuer.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.TestIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credential status (W3C Bitstring Status List v1.0): status list credentials are built and signed
 * here as the issuer does, and served by an in-memory {@link StatusListSource}.
 */
public class CredentialStatusTest {

    private static final TestIssuer ISSUER = new TestIssuer();
    private static final String ISSUER_ID = "https://credentials.example.com/issuer";
    private static final String LIST_URL = "https://credentials.example.com/v1/status/0-0";
    private static final int ENTRIES = 131_072;
    private static final int INDEX = 94_567;

    /** The lists the fake issuer serves, by URL; a URL not here answers like an HTTP 404. */
    private final Map<URI, String> served = new HashMap<>();
    private final List<URI> fetched = new ArrayList<>();

    private final CredentialVerifier verifier = CredentialVerifier.builder()
            .trustedKeys(ISSUER.publicKeys())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .statusLists(url -> {
                fetched.add(url);
                String list = served.get(url);
                if (list == null) {
                    throw new IOException("HTTP 404 from " + url);
                }
                return list;
            })
            .build();

    // ---- fixtures ----

    /** A bitstring of {@code entries} entries with the given values, GZIPped and multibase-encoded (§3.3). */
    public static String encodedList(int entries, int statusSize, Map<Integer, Integer> values) {
        byte[] bits = new byte[entries * statusSize / 8];
        values.forEach((index, value) -> {
            for (int i = 0; i < statusSize; i++) {
                long position = (long) index * statusSize + i;
                if (((value >>> (statusSize - 1 - i)) & 1) == 1) {
                    bits[(int) (position / 8)] |= (byte) (0x80 >>> (int) (position % 8));
                }
            }
        });
        return encode(bits);
    }

    static String encode(byte[] bits) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(bits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(compressed.toByteArray());
    }

    /** The unsigned BitstringStatusListCredential the credpipe issuer publishes (§2.2). */
    public static ObjectNode listCredential(String url, String issuer, String purpose, String encodedList) {
        ObjectNode list = TestIssuer.JSON.createObjectNode();
        list.putArray("@context").add("https://www.w3.org/ns/credentials/v2");
        list.put("id", url);
        list.putArray("type").add("VerifiableCredential").add("BitstringStatusListCredential");
        list.putObject("issuer").put("id", issuer).put("name", "Example Plant Training Center");
        list.put("validFrom", "2026-05-31T12:00:00Z");
        ObjectNode subject = list.putObject("credentialSubject");
        subject.put("id", url + "#list");
        subject.put("type", "BitstringStatusList");
        subject.put("statusPurpose", purpose);
        subject.put("encodedList", encodedList);
        return list;
    }

    /** The JWT payload of a list: the list plus iss, sub, jti, nbf (and exp), as the issuer's signer adds them. */
    public static ObjectNode listPayload(ObjectNode list) {
        ObjectNode payload = list.deepCopy();
        payload.put("iss", list.get("issuer").get("id").asText());
        payload.put("sub", list.get("credentialSubject").get("id").asText());
        payload.put("jti", list.get("id").asText());
        payload.put("nbf", Instant.parse(list.get("validFrom").asText()).getEpochSecond());
        if (list.has("validUntil")) {
            payload.put("exp", Instant.parse(list.get("validUntil").asText()).getEpochSecond());
        }
        return payload;
    }

    private void serve(String url, ObjectNode list) {
        served.put(URI.create(url), ISSUER.es256(listPayload(list)));
    }

    /** credpipe's entry: a two-bit message entry (low bit revoked, high bit suspended). */
    public static ObjectNode messageEntry(String url, int index) {
        ObjectNode entry = TestIssuer.JSON.createObjectNode();
        entry.put("id", url + "#" + index);
        entry.put("type", "BitstringStatusListEntry");
        entry.put("statusPurpose", "message");
        entry.put("statusListIndex", Integer.toString(index));
        entry.put("statusSize", 2);
        ArrayNode messages = entry.putArray("statusMessage");
        messages.addObject().put("status", "0x0").put("message", "valid");
        messages.addObject().put("status", "0x1").put("message", "revoked");
        messages.addObject().put("status", "0x2").put("message", "suspended");
        messages.addObject().put("status", "0x3").put("message", "revoked");
        entry.put("statusListCredential", url);
        return entry;
    }

    static ObjectNode bitEntry(String url, String purpose, int index) {
        ObjectNode entry = TestIssuer.JSON.createObjectNode();
        entry.put("id", url + "#" + index);
        entry.put("type", "BitstringStatusListEntry");
        entry.put("statusPurpose", purpose);
        entry.put("statusListIndex", Integer.toString(index));
        entry.put("statusListCredential", url);
        return entry;
    }

    private VerificationReport verifyWithStatus(ObjectNode... entries) {
        ObjectNode credential = TestIssuer.credential();
        if (entries.length == 1) {
            credential.set("credentialStatus", entries[0]);
        } else {
            ArrayNode array = credential.putArray("credentialStatus");
            for (ObjectNode entry : entries) {
                array.add(entry);
            }
        }
        return verifier.verify(ISSUER.es256(TestIssuer.payload(credential)));
    }

    private void serveMessageList(int value) {
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "message", encodedList(ENTRIES, 2, Map.of(INDEX, value))));
    }

    private static Check status(VerificationReport report) {
        return report.check(Check.STATUS).orElseThrow();
    }

    private static StatusStanding standing(VerificationReport report) {
        return report.summary().orElseThrow().status().orElseThrow();
    }

    // ---- credpipe's two-bit message entries ----

    @Test
    void aCredentialWhoseEntryIsZeroIsValid() {
        serveMessageList(0);

        VerificationReport report = verifyWithStatus(messageEntry(LIST_URL, INDEX));

        assertThat(report.failures()).isEmpty();
        assertThat(report.verified()).isTrue();
        assertThat(status(report).outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(status(report).detail()).contains("\"valid\"").contains("entry 94567 of " + LIST_URL);
        assertThat(standing(report).state()).isEqualTo(StatusStanding.State.VALID);
        assertThat(report.describe()).contains("Status:      valid (");
        assertThat(fetched).containsExactly(URI.create(LIST_URL));
    }

    /** DESIGN.md "Decision rule": a credential lapses at its validUntil; expiry is not a revocation. */
    @Test
    void aCredentialPastItsValidUntilIsExpiredNotRevoked() {
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "revocation", encodedList(ENTRIES, 1, Map.of())));
        ObjectNode credential = TestIssuer.credential();
        credential.set("credentialStatus", bitEntry(LIST_URL, "revocation", INDEX));
        CredentialVerifier later = CredentialVerifier.builder().trustedKeys(ISSUER.publicKeys())
                .clock(Clock.fixed(Instant.parse("2029-06-01T00:00:00Z"), ZoneOffset.UTC))
                .statusLists(url -> served.get(url)).build();

        VerificationReport report = later.verify(ISSUER.es256(TestIssuer.payload(credential)));

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).extracting(Check::name).containsExactly(Check.VALID_UNTIL);
        assertThat(report.check(Check.VALID_UNTIL).orElseThrow().detail()).contains("expired at 2029-05-20T09:30:00Z");
        assertThat(standing(report).state()).as("not revoked").isEqualTo(StatusStanding.State.VALID);
    }

    @Test
    void valueOneAndThreeAreRevoked() {
        for (int value : new int[] {1, 3}) {
            serveMessageList(value);

            VerificationReport report = verifyWithStatus(messageEntry(LIST_URL, INDEX));

            assertThat(report.verified()).as("value %d", value).isFalse();
            assertThat(report.failures()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo(Check.STATUS);
                assertThat(c.detail()).startsWith("revoked: status 0x" + value + " \"revoked\"")
                        .contains("must not be accepted");
            });
            assertThat(standing(report).state()).isEqualTo(StatusStanding.State.REVOKED);
            assertThat(report.describe()).contains("Status:      REVOKED: status 0x" + value);
        }
    }

    @Test
    void valueTwoIsSuspended() {
        serveMessageList(2);

        VerificationReport report = verifyWithStatus(messageEntry(LIST_URL, INDEX));

        assertThat(report.verified()).isFalse();
        assertThat(status(report).outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(status(report).detail()).startsWith("suspended: status 0x2 \"suspended\"");
        assertThat(standing(report).state()).isEqualTo(StatusStanding.State.SUSPENDED);
        assertThat(report.describe()).contains("Status:      SUSPENDED: ");
    }

    @Test
    void neighbouringEntriesDoNotLeakIntoEachOther() {
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "message",
                encodedList(ENTRIES, 2, Map.of(INDEX - 1, 3, INDEX + 1, 3))));

        assertThat(verifyWithStatus(messageEntry(LIST_URL, INDEX)).verified()).isTrue();
        assertThat(standing(verifyWithStatus(messageEntry(LIST_URL, INDEX + 1))).state()).isEqualTo(StatusStanding.State.REVOKED);
    }

    @Test
    void bitsAreReadMostSignificantFirst() {
        // Hand-computed per §2.2: byte 0 = 0110 0000 puts 01 (revoked) in entry 0 and 10 (suspended) in entry 1.
        byte[] bits = new byte[ENTRIES * 2 / 8];
        bits[0] = 0b0110_0000;
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "message", encode(bits)));

        assertThat(standing(verifyWithStatus(messageEntry(LIST_URL, 0))).state()).isEqualTo(StatusStanding.State.REVOKED);
        assertThat(standing(verifyWithStatus(messageEntry(LIST_URL, 1))).state()).isEqualTo(StatusStanding.State.SUSPENDED);
        assertThat(standing(verifyWithStatus(messageEntry(LIST_URL, 2))).state()).isEqualTo(StatusStanding.State.VALID);
        assertThat(standing(verifyWithStatus(messageEntry(LIST_URL, 3))).state()).isEqualTo(StatusStanding.State.VALID);
    }

    // ---- one-bit revocation and suspension entries of other issuers ----

    @Test
    void aRevocationListWithTheBitSetRevokes() {
        byte[] bits = new byte[ENTRIES / 8];
        bits[0] = 0b0000_0100; // entry 5
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "revocation", encode(bits)));

        VerificationReport revoked = verifyWithStatus(bitEntry(LIST_URL, "revocation", 5));
        assertThat(revoked.verified()).isFalse();
        assertThat(status(revoked).detail()).startsWith("revoked: ").contains("statusPurpose revocation");
        assertThat(standing(revoked).state()).isEqualTo(StatusStanding.State.REVOKED);

        assertThat(verifyWithStatus(bitEntry(LIST_URL, "revocation", 4)).verified()).isTrue();
        assertThat(verifyWithStatus(bitEntry(LIST_URL, "revocation", 6)).verified()).isTrue();
    }

    @Test
    void aSuspensionListWithTheBitSetSuspends() {
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "suspension", encodedList(ENTRIES, 1, Map.of(INDEX, 1))));

        VerificationReport report = verifyWithStatus(bitEntry(LIST_URL, "suspension", INDEX));

        assertThat(report.verified()).isFalse();
        assertThat(standing(report).state()).isEqualTo(StatusStanding.State.SUSPENDED);
    }

    @Test
    void everyEntryOfAnArrayIsCheckedAndTheWorstCounts() {
        String suspensions = "https://credentials.example.com/v1/status/suspensions";
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "revocation", encodedList(ENTRIES, 1, Map.of())));
        serve(suspensions, listCredential(suspensions, ISSUER_ID, "suspension", encodedList(ENTRIES, 1, Map.of(7, 1))));

        VerificationReport valid = verifyWithStatus(bitEntry(LIST_URL, "revocation", 7), bitEntry(suspensions, "suspension", 8));
        assertThat(valid.verified()).isTrue();
        assertThat(fetched).containsExactly(URI.create(LIST_URL), URI.create(suspensions));

        VerificationReport suspended = verifyWithStatus(bitEntry(LIST_URL, "revocation", 7), bitEntry(suspensions, "suspension", 7));
        assertThat(suspended.verified()).isFalse();
        assertThat(standing(suspended).state()).isEqualTo(StatusStanding.State.SUSPENDED);
    }

    // ---- lists that cannot be trusted: status unknown ----

    private static void assertUnknown(VerificationReport report, String why) {
        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).isEmpty();
        assertThat(report.undecided()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo(Check.STATUS);
            assertThat(c.outcome()).isEqualTo(Check.Outcome.CANNOT_TELL);
            assertThat(c.detail()).startsWith("status unknown: ").contains(why).contains("not treated as valid");
        });
        StatusStanding standing = report.summary().orElseThrow().status().orElseThrow();
        assertThat(standing.state()).isEqualTo(StatusStanding.State.UNKNOWN);
        assertThat(report.describe()).contains("Status:      unknown (").contains(why);
    }

    @Test
    void aListSignedByAnUntrustedKeyLeavesTheStatusUnknown() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("https://elsewhere.example/key").generate();
        ObjectNode list = listCredential(LIST_URL, ISSUER_ID, "message", encodedList(ENTRIES, 2, Map.of()));
        served.put(URI.create(LIST_URL), TestIssuer.sign(TestIssuer.header(JWSAlgorithm.ES256, stranger.getKeyID()),
                listPayload(list).toString(), new ECDSASigner(stranger)));

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, INDEX)), "not a trusted key");
    }

    @Test
    void aListSignedByAnImpostorUnderATrustedKidLeavesTheStatusUnknown() throws Exception {
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(TestIssuer.EC_KID).generate();
        ObjectNode list = listCredential(LIST_URL, ISSUER_ID, "message", encodedList(ENTRIES, 2, Map.of()));
        served.put(URI.create(LIST_URL), TestIssuer.sign(TestIssuer.header(JWSAlgorithm.ES256, TestIssuer.EC_KID),
                listPayload(list).toString(), new ECDSASigner(impostor)));

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, INDEX)), "signature does not match");
    }

    @Test
    void aListFromAnotherIssuerLeavesTheStatusUnknown() {
        serve(LIST_URL, listCredential(LIST_URL, "https://other.example/issuer", "message", encodedList(ENTRIES, 2, Map.of())));

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, INDEX)), "issued by \"https://other.example/issuer\"");
    }

    @Test
    void aListIssuedUnderTheIssuersDidWebStillSpeaksForCredentialsIssuedUnderItsProfileUrl() {
        // Since issue 15 credpipe's issuer id is its did:web DID; its lists are signed afresh under
        // it, and credentials issued before carry https://credentials.example.com/issuer.
        serve(LIST_URL, listCredential(LIST_URL, "did:web:credentials.example.com", "message",
                encodedList(ENTRIES, 2, Map.of(INDEX, 1))));

        VerificationReport report = verifyWithStatus(messageEntry(LIST_URL, INDEX));

        assertThat(status(report).outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(standing(report).state()).isEqualTo(StatusStanding.State.REVOKED);
    }

    @Test
    void aListIssuedUnderAnotherHostsDidWebLeavesTheStatusUnknown() {
        serve(LIST_URL, listCredential(LIST_URL, "did:web:other.example", "message", encodedList(ENTRIES, 2, Map.of())));

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, INDEX)), "issued by \"did:web:other.example\"");
    }

    @Test
    void aListForAnotherPurposeLeavesTheStatusUnknown() {
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "suspension", encodedList(ENTRIES, 1, Map.of())));

        assertUnknown(verifyWithStatus(bitEntry(LIST_URL, "revocation", INDEX)), "does not include the entry's \"revocation\"");
    }

    @Test
    void aListServedForAnotherUrlLeavesTheStatusUnknown() {
        // An attacker replaying the issuer's list of another (clean) list id under this URL.
        served.put(URI.create(LIST_URL), ISSUER.es256(listPayload(listCredential(
                "https://credentials.example.com/v1/status/0-1", ISSUER_ID, "message", encodedList(ENTRIES, 2, Map.of())))));

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, INDEX)), "does not match statusListCredential");
    }

    @Test
    void aListShorterThanTheMinimumLeavesTheStatusUnknown() {
        // 131,072 bits hold only 65,536 two-bit entries (§3.2 step 9).
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "message", encodedList(ENTRIES, 1, Map.of())));

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, 10)), "holds 65536 entries of 2 bits, fewer than the 131072 required");
    }

    @Test
    void anIndexOutsideTheListLeavesTheStatusUnknown() {
        serveMessageList(0);

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, ENTRIES)), "statusListIndex 131072 is outside the list's 131072 entries");
    }

    @Test
    void aHugeIndexLeavesTheStatusUnknown() {
        serveMessageList(0);
        ObjectNode entry = messageEntry(LIST_URL, 0).put("statusListIndex", "99999999999999999999999");

        assertUnknown(verifyWithStatus(entry), "is outside the list's");
    }

    @Test
    void aFailedFetchLeavesTheStatusUnknownAndTheCredentialUnverified() {
        VerificationReport report = verifyWithStatus(messageEntry(LIST_URL, INDEX));

        assertUnknown(report, "cannot retrieve the status list " + LIST_URL + ": HTTP 404 from " + LIST_URL);
        assertThat(report.describe()).startsWith("NOT VERIFIED: cannot tell; 1 check could not decide");
    }

    @Test
    void anExpiredListLeavesTheStatusUnknown() {
        ObjectNode list = listCredential(LIST_URL, ISSUER_ID, "message", encodedList(ENTRIES, 2, Map.of()));
        list.put("validUntil", "2026-05-31T18:00:00Z");
        serve(LIST_URL, list);

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, INDEX)), "it expired at 2026-05-31T18:00:00Z");
    }

    @Test
    void aListNotYetValidLeavesTheStatusUnknown() {
        ObjectNode list = listCredential(LIST_URL, ISSUER_ID, "message", encodedList(ENTRIES, 2, Map.of()));
        list.put("validFrom", "2026-06-02T00:00:00Z");
        serve(LIST_URL, list);

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, INDEX)), "not valid yet");
    }

    @Test
    void aListThatIsNotGzipLeavesTheStatusUnknown() {
        serve(LIST_URL, listCredential(LIST_URL, ISSUER_ID, "message",
                "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[ENTRIES / 4])));

        assertUnknown(verifyWithStatus(messageEntry(LIST_URL, INDEX)), "not GZIP data");
    }

    @Test
    void anUnsupportedStatusTypeLeavesTheStatusUnknown() {
        ObjectNode entry = TestIssuer.JSON.createObjectNode().put("id", "https://credentials.example.com/revocations")
                .put("type", "1EdTechRevocationList");

        assertUnknown(verifyWithStatus(entry), "credentialStatus type 1EdTechRevocationList is not supported");
        assertThat(fetched).isEmpty();
    }

    @Test
    void aMessageEntryWithoutMessagesLeavesTheStatusUnknown() {
        serveMessageList(0);
        ObjectNode entry = messageEntry(LIST_URL, INDEX);
        entry.remove("statusMessage");

        assertUnknown(verifyWithStatus(entry), "needs a statusMessage list");
    }

    // ---- switched off, and over HTTP ----

    @Test
    void statusCheckingCanBeTurnedOffForOfflineUse() {
        CredentialVerifier offline = CredentialVerifier.builder()
                .trustedKeys(ISSUER.publicKeys())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .statusLists(url -> {
                    throw new AssertionError("no status list may be fetched when status checking is off");
                })
                .checkStatus(false)
                .build();
        ObjectNode credential = TestIssuer.credential();
        credential.set("credentialStatus", messageEntry(LIST_URL, INDEX));

        VerificationReport report = offline.verify(ISSUER.es256(TestIssuer.payload(credential)));

        assertThat(report.verified()).isTrue();
        assertThat(status(report).outcome()).isEqualTo(Check.Outcome.SKIPPED);
        assertThat(status(report).detail()).contains("status checking is turned off");
        assertThat(standing(report).state()).isEqualTo(StatusStanding.State.NOT_CHECKED);
        assertThat(report.describe()).contains("Status:      not checked (").contains("Not checked:");
    }

    @Test
    void aCredentialWithoutStatusHasNoStatusCheck() {
        VerificationReport report = verifier.verify(ISSUER.es256());

        assertThat(report.check(Check.STATUS)).isEmpty();
        assertThat(report.summary().orElseThrow().status()).isEmpty();
        assertThat(report.describe()).doesNotContain("Status:");
        assertThat(fetched).isEmpty();
    }

    @Test
    void savedListsCanBeReadFromADirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("0-0.jwt"), ISSUER.es256(listPayload(listCredential(LIST_URL, ISSUER_ID, "message",
                encodedList(ENTRIES, 2, Map.of(INDEX, 2))))) + "\n");
        CredentialVerifier fromFiles = CredentialVerifier.builder()
                .trustedKeys(ISSUER.publicKeys())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .statusLists(StatusListSource.directory(dir))
                .build();
        ObjectNode credential = TestIssuer.credential();
        credential.set("credentialStatus", messageEntry(LIST_URL, INDEX));

        VerificationReport suspended = fromFiles.verify(ISSUER.es256(TestIssuer.payload(credential)));
        assertThat(suspended.summary().orElseThrow().status().orElseThrow().state()).isEqualTo(StatusStanding.State.SUSPENDED);

        credential.set("credentialStatus", messageEntry("https://credentials.example.com/v1/status/0-1", INDEX));
        assertUnknown(fromFiles.verify(ISSUER.es256(TestIssuer.payload(credential))),
                "no saved status list " + dir.resolve("0-1.jwt"));
    }

    @Test
    void byDefaultTheListIsFetchedOverHttpAsAJwt() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/status/0-0";
        byte[] jwt = ISSUER.es256(listPayload(listCredential(url, ISSUER_ID, "message",
                encodedList(ENTRIES, 2, Map.of(INDEX, 1))))).getBytes(StandardCharsets.UTF_8);
        AtomicReference<String> accept = new AtomicReference<>();
        server.createContext("/v1/status/0-0", exchange -> {
            accept.set(exchange.getRequestHeaders().getFirst("Accept"));
            exchange.getResponseHeaders().add("Content-Type", "application/jwt");
            exchange.sendResponseHeaders(200, jwt.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwt);
            }
        });
        server.start();
        try {
            CredentialVerifier overHttp = CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                    .trustedKeys(ISSUER.publicKeys())
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .httpTimeout(Duration.ofSeconds(2))
                    .build();
            ObjectNode credential = TestIssuer.credential();
            credential.set("credentialStatus", messageEntry(url, INDEX));

            VerificationReport revoked = overHttp.verify(ISSUER.es256(TestIssuer.payload(credential)));
            assertThat(revoked.summary().orElseThrow().status().orElseThrow().state()).isEqualTo(StatusStanding.State.REVOKED);
            // Both JWT media types: an issuer signing with typ vc+jwt serves application/vc+jwt (VC-JOSE-COSE §3.1.1).
            assertThat(accept.get()).isEqualTo("application/vc+jwt, application/jwt, */*;q=0.1");

            credential.set("credentialStatus", messageEntry(url.replace("0-0", "9-9"), INDEX));
            VerificationReport missing = overHttp.verify(ISSUER.es256(TestIssuer.payload(credential)));
            assertUnknown(missing, "HTTP 404");
        } finally {
            server.stop(0);
        }
    }
}
