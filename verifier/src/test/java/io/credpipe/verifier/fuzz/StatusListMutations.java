package io.credpipe.verifier.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.fuzz.Mutant.Expect;
import io.credpipe.verifier.status.CredentialStatusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Mutations of the status list a genuine credential points at (W3C Bitstring Status List v1.0):
 * the list altered without a new signature, re-signed by another key, or signed by the issuer but
 * unusable (bitstring truncated, not GZIP, not base64url, below the minimum length, another
 * purpose, expired, another id or issuer). Each must make the status "cannot tell"; only a list the
 * issuer validly signed that sets the credential's entry may say "revoked".
 */
public final class StatusListMutations {

    static final List<String> KINDS = List.of("status.unsigned-edit", "status.token-flip", "status.other-key",
            "status.alg-none", "status.bitstring-truncated", "status.bitstring-not-gzip", "status.bitstring-not-base64url",
            "status.too-short", "status.wrong-purpose", "status.expired", "status.not-yet-valid", "status.wrong-id",
            "status.wrong-issuer", "status.garbage", "status.revoked");

    private final Random random;
    private final SignedSeeds seeds;

    public StatusListMutations(Random random, SignedSeeds seeds) {
        this.random = random;
        this.seeds = seeds;
    }

    /**
     * A mutation of the list at {@code url} issued by {@code issuerId} (the seeds' genuine list);
     * its text is what the status list source serves instead.
     */
    public Mutant mutate(String url, String issuerId, String genuine) {
        String kind = KINDS.get(random.nextInt(KINDS.size()));
        ObjectNode list = SignedSeeds.listCredential(url, issuerId);
        ObjectNode subject = (ObjectNode) list.get("credentialSubject");
        String[] parts = genuine.split("\\.");
        Expect expect = Expect.STATUS_CANNOT_TELL;
        String text = switch (kind) {
            case "status.unsigned-edit" -> {
                ObjectNode payload = (ObjectNode) JwtMutations.read(parts[1]);
                ObjectNode edited = (ObjectNode) payload.get("credentialSubject");
                switch (random.nextInt(3)) {
                    case 0 -> edited.put("encodedList", CredentialStatusTest.encodedList(SignedSeeds.ENTRIES, 1, Map.of()));
                    case 1 -> payload.put("exp", 1_900_000_000L);
                    default -> edited.put("statusPurpose", "suspension");
                }
                yield parts[0] + "." + TestIssuer.b64(payload.toString()) + "." + parts[2];
            }
            case "status.token-flip" -> {
                int at = random.nextInt(genuine.length());
                char c = genuine.charAt(at) == 'A' ? 'B' : 'A';
                yield genuine.substring(0, at) + c + genuine.substring(at + 1);
            }
            case "status.other-key" -> seeds.attackerSigned(SignedSeeds.es256Header(
                    random.nextBoolean() ? TestIssuer.EC_KID : seeds.attackerEc.getKeyID()).build(),
                    CredentialStatusTest.listPayload(list).toString());
            case "status.alg-none" -> TestIssuer.b64("{\"alg\":\"none\",\"kid\":\"" + TestIssuer.EC_KID + "\"}") + "."
                    + parts[1] + ".";
            case "status.bitstring-truncated" -> {
                String encoded = subject.get("encodedList").asText();
                subject.put("encodedList", encoded.substring(0, 1 + random.nextInt(encoded.length() - 1)));
                yield signed(list);
            }
            case "status.bitstring-not-gzip" -> {
                byte[] bits = new byte[SignedSeeds.ENTRIES / 8];
                subject.put("encodedList", "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
                yield signed(list);
            }
            case "status.bitstring-not-base64url" -> {
                String encoded = subject.get("encodedList").asText();
                String[] broken = {encoded.substring(1), "z" + encoded.substring(1), encoded.replace('-', '+').replace('_', '/') + "+/",
                        encoded + "==", encoded.substring(0, 5) + "*" + encoded.substring(6), ""};
                subject.put("encodedList", broken[random.nextInt(broken.length)]);
                yield signed(list);
            }
            case "status.too-short" -> {
                subject.put("encodedList", gzipped(new byte[16 * (1 + random.nextInt(100))]));
                yield signed(list);
            }
            case "status.wrong-purpose" -> {
                String[] purposes = {"suspension", "message", "refresh", "Revocation"};
                subject.put("statusPurpose", purposes[random.nextInt(purposes.length)]);
                yield signed(list);
            }
            case "status.expired" -> {
                list.put("validUntil", "2026-05-31T00:00:00Z");
                yield signed(list);
            }
            case "status.not-yet-valid" -> {
                list.put("validFrom", "2026-07-01T00:00:00Z");
                yield signed(list);
            }
            case "status.wrong-id" -> {
                list.put("id", url + "/other");
                yield signed(list);
            }
            case "status.wrong-issuer" -> {
                ((ObjectNode) list.get("issuer")).put("id", "https://attacker.example/issuer");
                yield signed(list);
            }
            case "status.garbage" -> {
                String[] garbage = {"", "<html>404</html>", "{}", "null", genuine + genuine, "eyJ.eyJ.", parts[1]};
                yield garbage[random.nextInt(garbage.length)];
            }
            default -> {
                expect = Expect.STATUS_REVOKED;
                subject.put("encodedList", CredentialStatusTest.encodedList(SignedSeeds.ENTRIES, 1,
                        Map.of(SignedSeeds.INDEX, 1, SignedSeeds.REVOKED_INDEX, 1)));
                yield signed(list);
            }
        };
        return new Mutant(kind, text, expect);
    }

    private String signed(ObjectNode list) {
        return seeds.issuerSigned(CredentialStatusTest.listPayload(list));
    }

    private static String gzipped(byte[] bits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }
}
