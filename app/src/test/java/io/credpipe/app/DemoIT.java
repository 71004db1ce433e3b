package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.credpipe.issuer.StandardsConformance;
import io.credpipe.model.json.Json;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.status.StatusListSource;
import io.credpipe.verifier.VerificationReport;
import java.security.PublicKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credpipe demo} as the README runs it: on the embedded broker (Kafka's own KRaft server in
 * this JVM), twice in the same directory.
 */
class DemoIT {

    private static final Pattern SUMMARY = Pattern.compile("Issued this run: (\\d+)\\. Credentials in total: (\\d+)\\.");
    /** The issuer tests' offline schema and JSON-LD checks (issuer test-jar). */
    private static final StandardsConformance STANDARDS = new StandardsConformance();
    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void demoIssuesVerifiedCredentialsAndASecondRunIssuesNothingNew(@TempDir Path dir) throws Exception {
        String data = dir.resolve("data").toString();
        String out = dir.resolve("out").toString();

        Run first = demo("--data-dir", data, "--out", out);
        assertThat(first.exitCode).as(first.output).isZero();
        assertThat(first.issued).isPositive().isEqualTo(first.total);

        List<Path> jwts = files(dir.resolve("out/credentials"), ".jwt");
        assertThat(jwts).hasSize(first.total);
        for (Path jwt : jwts) {
            String compact = Files.readString(jwt).strip();
            assertThat(compact.split("\\.")).hasSize(3);
            JsonNode payload = mapper.readTree(Base64.getUrlDecoder().decode(compact.split("\\.")[1]));
            for (String field : List.of("@context", "type", "issuer", "validFrom", "credentialSubject", "iss", "sub", "jti", "nbf")) {
                assertThat(payload.has(field)).as(jwt + " has " + field).isTrue();
            }
            assertThat(payload.has("vc")).isFalse();
            assertThat(STANDARDS.achievementCredentialErrors(payload)).as(jwt + " against the OB 3.0 schema").isEmpty();
            // JSON-LD sees the credential; the JWT's registered claims are not terms of its contexts.
            ObjectNode credential = payload.deepCopy();
            credential.remove(List.of("iss", "sub", "jti", "nbf", "exp"));
            STANDARDS.expand(credential);
            JsonNode achievement = payload.path("credentialSubject").path("achievement");
            String level = achievement.path("id").asText().replaceAll(".*/", "");
            long statementAlignments = Stream.of(mapper.treeToValue(achievement.path("alignment"), JsonNode[].class))
                    .filter(a -> a.path("targetCode").asText().contains("/" + level + "/"))
                    .count();
            assertThat(statementAlignments).as(jwt + " aligns to every statement of " + level).isEqualTo(10);
            assertThat(Files.exists(Path.of(jwt.toString().replace(".jwt", ".json")))).isTrue();
        }
        assertThat(Files.readString(dir.resolve("out/jwks.json"))).contains("\"keys\"").doesNotContain("\"d\"");
        // Levels lost in the history revoke their credentials; the demo's admin suspends one. The demo
        // fails unless every status list entry says exactly that (Demo.Result#statusMismatches).
        assertThat(first.output).containsPattern(": [1-9]\\d* revoked \\(levels lost\\), 1 suspended")
                .doesNotContain("Status lists DISAGREE").contains("  suspended").contains("  revoked (level lost: ");
        assertThat(files(dir.resolve("out/status"), ".jwt")).isNotEmpty();
        assertEveryJwtFileIsExactlyACompactJws(dir.resolve("out"));
        // The progress endpoint answers for the holder of the suspended credential, and agrees with the credentials.
        assertThat(first.output).contains("Progress of operator ").doesNotContain("Progress DISAGREES");
        List<Path> progress = files(dir.resolve("out/progress"), ".json");
        assertThat(progress).hasSize(1);
        JsonNode report = new ObjectMapper().readTree(Files.readString(progress.get(0)));
        assertThat(report.path("frameworks")).isNotEmpty();
        assertThat(report.path("frameworks").get(0).path("levels")).hasSize(4);
        assertThat(report.toString()).contains("\"met\":true");
        assertClrIsValid(dir.resolve("out"), first.output);
        assertDataIntegrityCredentialIsWritten(dir.resolve("out"), first.output);
        // The verification page, served by the demo's pipeline, shows one current credential as verified.
        assertThat(first.output).containsPattern("  http://127\\.0\\.0\\.1:\\d+/verify\\?url=http%3A%2F%2F127\\.0\\.0\\.1%3A\\d+%2Fcredentials%2F\\S+ \\(it says: Verified\\)");
        // One operator's private page, checked by the demo (all their credentials, a ladder per framework).
        assertThat(first.output).containsPattern("Operators see their credentials and progress on a private page, e\\.g\\. \\S+ \\(\\d+ credentials")
                .containsPattern("  http://127\\.0\\.0\\.1:\\d+/o/[A-Za-z0-9_-]{43}\\n").doesNotContain("(it FAILED: ");

        // One operator's wallet offer: a QR code that scans to an OpenID4VCI offer link.
        List<Path> qrCodes = files(dir.resolve("out/wallet"), ".png");
        assertThat(qrCodes).hasSize(1);
        assertThat(PhoneBrowser.scanQr(Files.readAllBytes(qrCodes.get(0))))
                .startsWith("openid-credential-offer://?credential_offer_uri=http%3A%2F%2F127.0.0.1%3A");
        assertThat(first.output).contains("Wallet offer (OpenID4VCI, pre-authorized code) of ");

        Run second = demo("--data-dir", data, "--out", out);
        assertThat(second.exitCode).as(second.output).isZero();
        assertThat(second.issued).as(second.output).isZero();
        assertThat(second.total).isEqualTo(first.total);
        assertThat(second.output).contains(", 1 suspended").doesNotContain("Status lists DISAGREE");
        assertThat(files(dir.resolve("out/credentials"), ".jwt")).hasSize(first.total);
    }

    /**
     * The CLR the demo downloaded: signed by a key of {@code out/jwks.json}, valid against 1EdTech's
     * CLR 2.0 JSON Schema, bundling exactly credentials the demo wrote (decoded, without the JWT
     * claims), none of them revoked or suspended, with a {@code precedes} association per level step.
     */
    private void assertClrIsValid(Path out, String demoOutput) throws Exception {
        List<Path> clrs = files(out.resolve("clr"), ".jwt");
        assertThat(clrs).hasSize(1);
        JWSObject jws = JWSObject.parse(Files.readString(clrs.get(0)).strip());
        JWKSet keys = JWKSet.parse(Files.readString(out.resolve("jwks.json")));
        PublicKey key = ((AsymmetricJWK) keys.getKeyByKeyId(jws.getHeader().getKeyID())).toPublicKey();
        assertThat(jws.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jws.getHeader(), key))).isTrue();
        JsonNode clr = mapper.readTree(jws.getPayload().toString());

        assertThat(STANDARDS.clrCredentialErrors(clr)).as(clrs.get(0) + " against the CLR 2.0 schema").isEmpty();
        ObjectNode record = clr.deepCopy();
        record.remove(List.of("iss", "sub", "jti", "nbf", "exp"));
        STANDARDS.expand(record);

        JsonNode nested = clr.at("/credentialSubject/verifiableCredential");
        assertThat(nested.size()).isPositive();
        for (JsonNode credential : nested) {
            String id = credential.get("id").asText().replaceAll(".*/", "");
            ObjectNode written = (ObjectNode) mapper.readTree(out.resolve("credentials").resolve(id + ".json").toFile());
            written.remove(List.of("iss", "sub", "jti", "nbf", "exp"));
            assertThat(credential).as(id).isEqualTo(written);
            // The demo's table: one line per credential, its status last.
            assertThat(demoOutput.lines().filter(line -> line.startsWith(id)).findFirst()).hasValueSatisfying(line ->
                    assertThat(line).contains("  active").doesNotContain("revoked").doesNotContain("suspended"));
        }
        assertThat(clr.at("/credentialSubject/id")).isEqualTo(nested.get(0).at("/credentialSubject/id"));
        long levels = clr.at("/credentialSubject/achievement").size();
        assertThat(clr.at("/credentialSubject/association").size()).isLessThan((int) Math.max(levels, 1));
        assertThat(clr.at("/credentialSubject/association")).allSatisfy(a ->
                assertThat(a.get("associationType").asText()).isEqualTo("precedes"));
        // What an employer runs: the verifier, from the public keys and status lists alone.
        VerificationReport report = CredentialVerifier.builder()
                .trustedKeys(out.resolve("jwks.json"))
                .statusLists(StatusListSource.directory(out.resolve("status")))
                .build()
                .verifyFile(clrs.get(0));
        assertThat(report.verified()).as(report.describe()).isTrue();
        assertThat(report.bundled()).hasSize(nested.size());
        assertThat(demoOutput).contains("level associations), verified from ");
    }

    private record Run(int exitCode, String output, int issued, int total) {}

    private static Run demo(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        // The demo writes its table to standard output; keep it visible in the test log too.
        try (PrintStream both = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(both);
            String[] full = new String[args.length + 1];
            full[0] = "demo";
            System.arraycopy(args, 0, full, 1, args.length);
            exit = Credpipe.commandLine().execute(full);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        Matcher m = SUMMARY.matcher(output);
        boolean found = m.find();
        return new Run(exit, output, found ? Integer.parseInt(m.group(1)) : -1, found ? Integer.parseInt(m.group(2)) : -1);
    }

    /**
     * Every {@code .jwt} the demo writes holds the compact JWS and nothing else: a strict base64url
     * decoder (auth0 java-jwt, in the 1EdTech validator) fails a signature followed by any byte, a
     * newline included. The JDK's decoder is as strict: it rejects any character outside the alphabet.
     */
    private static void assertEveryJwtFileIsExactlyACompactJws(Path out) throws IOException {
        Pattern compact = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        List<Path> all = Stream.of("credentials", "status", "clr")
                .flatMap(dir -> {
                    try {
                        return files(out.resolve(dir), ".jwt").stream();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
        assertThat(all).isNotEmpty();
        for (Path file : all) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(text).as(file + " is one compact JWS, no trailing byte").matches(compact);
            String signature = text.substring(text.lastIndexOf('.') + 1);
            assertThat(Base64.getUrlDecoder().decode(signature)).as(file + " signature decodes strictly").isNotEmpty();
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }

    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }

    /**
     * The demo's second securing: one credential as {@code .ld.json}, the same JSON as its
     * {@code .json} with an eddsa-rdfc-2022 proof by a Multikey that {@code out/did.json} lists,
     * valid against the OB 3.0 schema and JSON-LD (safe mode), and verified offline by the demo.
     */
    private void assertDataIntegrityCredentialIsWritten(Path out, String output) throws Exception {
        List<Path> secured = files(out.resolve("credentials"), ".ld.json");
        assertThat(secured).hasSize(1);
        ObjectNode credential = (ObjectNode) mapper.readTree(secured.get(0).toFile());
        JsonNode proof = credential.remove("proof");
        assertThat(proof.path("type").asText()).isEqualTo("DataIntegrityProof");
        assertThat(proof.path("cryptosuite").asText()).isEqualTo("eddsa-rdfc-2022");
        Path plain = Path.of(secured.get(0).toString().replace(".ld.json", ".json"));
        ObjectNode payload = (ObjectNode) mapper.readTree(plain.toFile());
        payload.remove(List.of("iss", "sub", "jti", "nbf", "exp"));
        assertThat(credential).isEqualTo(payload);
        JsonNode did = mapper.readTree(out.resolve("did.json").toFile());
        assertThat(did.path("assertionMethod").toString()).contains(proof.path("verificationMethod").asText());
        JsonNode withProof = mapper.readTree(secured.get(0).toFile());
        assertThat(STANDARDS.achievementCredentialErrors(withProof)).isEmpty();
        STANDARDS.expand(withProof);
        assertThat(output).contains("verified it offline from those files");
    }
}
