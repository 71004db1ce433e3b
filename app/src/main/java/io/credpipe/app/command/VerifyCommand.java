package io.credpipe.app.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.json.Json;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.ReportDocument;
import io.credpipe.verifier.StatusListSource;
import io.credpipe.verifier.VerificationReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code credpipe verify}: what an employer runs, with public material only. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a credential (a compact JWS file, or its URL) and show who, what level, which statements,",
                "issued/expires, and why verification failed when it does. A CLR 2.0 learner record is verified with every",
                "credential it bundles. Exit status 0 when verified, 1 when not."})
public class VerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE|URL", description = "The credential or learner record: a .jwt file or an http(s) URL serving application/jwt.")
    String credential;

    @Option(names = "--jwks", paramLabel = "FILE|URL",
            description = "The issuer's public keys. Default: <issuer origin>/.well-known/jwks.json, from the credential's `iss`.")
    String jwks;

    @Option(names = "--status-dir", paramLabel = "DIR",
            description = "Read status lists from DIR/<list>.jwt (e.g. out/status) instead of fetching them.")
    Path statusDir;

    @Option(names = "--no-status", description = "Do not check revocation or suspension (offline; says so in the report).")
    boolean noStatus;

    @Option(names = "--json", description = "Print the report as JSON (the document POST /v1/verify answers) instead of text.")
    boolean json;

    @Spec CommandSpec spec;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean remote = isUrl(credential);
        String keys = jwks != null ? jwks : defaultJwks(read(credential, "application/jwt").strip());
        CredentialVerifier.Builder builder = CredentialVerifier.builder();
        if (isUrl(keys)) {
            builder.trustedKeys(URI.create(keys));
        } else {
            builder.trustedKeys(Path.of(keys));
        }
        if (noStatus) {
            builder.checkStatus(false);
        } else if (statusDir != null) {
            builder.statusLists(StatusListSource.directory(statusDir));
        }
        CredentialVerifier verifier = builder.build();
        VerificationReport report = remote ? verifier.verifyUrl(URI.create(credential)) : verifier.verifyFile(Path.of(credential));
        spec.commandLine().getOut().println(json
                ? Json.newMapper().writerWithDefaultPrettyPrinter().writeValueAsString(ReportDocument.of(report))
                : report.describe());
        spec.commandLine().getOut().flush();
        return report.verified() ? 0 : 1;
    }

    private static boolean isUrl(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    private String read(String source, String accept) throws IOException, InterruptedException {
        if (isUrl(source)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(source))
                    .timeout(Duration.ofSeconds(15)).header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(source + " answered HTTP " + response.statusCode());
            }
            return response.body();
        }
        return Files.readString(Path.of(source));
    }

    /**
     * The issuer's well-known JWKS URL, from the unverified {@code iss}. Trusting it is safe: the keys
     * found there only verify credentials the holder of that origin signed.
     */
    private static String defaultJwks(String jws) throws IOException {
        String[] parts = jws.split("\\.");
        if (parts.length != 3) {
            throw new IOException("not a compact JWS (expected three dot-separated parts); pass --jwks to check it anyway");
        }
        JsonNode payload;
        try {
            payload = Json.newMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new IOException("the credential's payload is not base64url JSON; pass --jwks to check it anyway");
        }
        String iss = payload.path("iss").asText("");
        if (!isUrl(iss)) {
            throw new IOException("the credential's issuer \"" + iss + "\" is not an http(s) URL; pass --jwks FILE|URL");
        }
        URI issuer = URI.create(iss);
        return issuer.getScheme() + "://" + issuer.getRawAuthority() + "/.well-known/jwks.json";
    }
}
