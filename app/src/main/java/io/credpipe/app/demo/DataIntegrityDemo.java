package io.credpipe.app.demo;

import io.credpipe.app.Pipeline;
import io.credpipe.issuer.http.IssuerRoutes;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.status.StatusListSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The demo's Data Integrity step: downloads one current credential in its second securing (the same
 * JSON with an embedded {@code eddsa-rdfc-2022} proof, as the Learner Credential Wallet imports it)
 * from {@code /credentials/{id}.ld.json} into {@code out/credentials/<id>.ld.json}, saves the issuer's
 * DID document to {@code out/did.json}, and verifies the credential offline from those files and the
 * signed status lists in {@code out/status}, as anyone holding the files can.
 */
final class DataIntegrityDemo {

    private final Pipeline pipeline;
    private final Path out;
    private final PrintWriter console;
    private final HttpClient http = HttpClient.newHttpClient();

    DataIntegrityDemo(Pipeline pipeline, Path out, PrintWriter console) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.out = Objects.requireNonNull(out, "out");
        this.console = Objects.requireNonNull(console, "console");
    }

    /**
     * Writes and verifies {@code credential}'s Data Integrity form.
     *
     * @return whether it verified offline
     */
    boolean run(IssuedCredential credential) throws IOException, InterruptedException {
        String base = pipeline.httpBase("127.0.0.1");
        Path file = out.resolve("credentials").resolve(credential.credentialId() + IssuerRoutes.LD_JSON_SUFFIX);
        Files.createDirectories(file.getParent());
        Files.write(file, get(base + "/credentials/" + credential.credentialId() + IssuerRoutes.LD_JSON_SUFFIX));
        Path did = out.resolve("did.json");
        Files.write(did, get(base + new DidWebDocument(pipeline.urls()).documentPath()));

        VerificationReport report = CredentialVerifier.builder()
                .didDocument(did)
                .trustedKeys(out.resolve("jwks.json"))
                .statusLists(StatusListSource.directory(out.resolve("status")))
                .build()
                .verifyFile(file);
        if (report.verified()) {
            console.printf("Wrote %s (the same credential with an embedded eddsa-rdfc-2022 Data Integrity proof, for the "
                    + "Learner Credential Wallet and VerifierPlus) and %s; verified it offline from those files and %s/status.%n",
                    file, did, out);
        } else {
            console.printf("%s: the Data Integrity credential does not verify:%n%s%n", file, report.describe());
        }
        return report.verified();
    }

    private byte[] get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/ld+json, application/did+json;q=0.9").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
