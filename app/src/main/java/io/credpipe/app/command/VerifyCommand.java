package io.credpipe.app.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.json.Json;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.ReportDocument;
import io.credpipe.verifier.status.StatusListSource;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.fetch.HttpFetch;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code credpipe verify}: what an employer runs, with public material only. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a credential or learner record and show who holds it, at what level, for which statements.",
                "The input is a compact JWS file or its URL; the report shows issued/expires, status, and why verification failed when it does.",
                "A CLR 2.0 learner record is verified with every credential it bundles.",
                "A JSON credential with an embedded Data Integrity proof (eddsa-rdfc-2022, e.g. a .ld.json file) is verified with the key its proof names, through did:web or did:key.",
                "An issuer that is a DID (did:web, did:key, did:jwk) is resolved through the DID its key id names.",
                "Plain HTTP is used only for loopback hosts and --allow-http-host ones.",
                "Exit status 0 when verified, 1 when not (failed, or a check could not tell)."})
public class VerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE|URL", description = "The credential or learner record: a .jwt or .ld.json file, or an http(s) URL serving application/jwt.")
    String credential;

    @Option(names = "--jwks", paramLabel = "FILE|URL",
            description = "The issuer's public keys. Default: <issuer origin>/.well-known/jwks.json, from the credential's `iss`.")
    String jwks;

    @Option(names = "--did-document", paramLabel = "FILE",
            description = "Use this saved DID document (e.g. the demo's out/did.json) instead of fetching it, to verify offline (repeatable).")
    List<Path> didDocuments = new ArrayList<>();

    @Option(names = "--status-dir", paramLabel = "DIR",
            description = "Read status lists from DIR/<list>.jwt (e.g. out/status) instead of fetching them.")
    Path statusDir;

    @Option(names = "--no-status", description = "Do not check revocation or suspension (offline; says so in the report).")
    boolean noStatus;

    @Option(names = "--allow-http-host", paramLabel = "HOST",
            description = {"Also allow plain HTTP to HOST (repeatable); everything else is fetched over HTTPS only.",
                    "The loopback hosts 127.0.0.1, localhost and ::1 are allowed by default, so a local issuer (the demo's) works."})
    List<String> allowHttpHosts = new ArrayList<>();

    /** Loopback hosts: plain HTTP to them never leaves the machine, and the demo's issuer listens there. */
    static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost", "::1", "[::1]");

    @Option(names = "--json", description = "Print the report as JSON (the document POST /v1/verify answers) instead of text.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        boolean remote = isUrl(credential);
        Set<String> httpHosts = new LinkedHashSet<>(LOOPBACK);
        httpHosts.addAll(allowHttpHosts);
        CredentialVerifier.Builder builder = CredentialVerifier.builder();
        httpHosts.forEach(builder::allowHttpHost);
        for (Path document : didDocuments) {
            builder.didDocument(document);
        }
        String text = jwks != null ? null : read(credential, httpHosts).strip();
        // A JSON credential with an embedded proof names its key itself, through a DID.
        String keys = jwks != null ? jwks : text.startsWith("{") ? null : defaultJwks(text);
        if (keys == null) {
            // The issuer is a DID: its keys come from the DID the kid names (did:web, did:key, did:jwk).
            builder.resolveDids(true);
        } else if (isUrl(keys)) {
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

    /** The credential's text, to find its issuer; fetched under the same plain-HTTP rule as the verifier's. */
    private static String read(String source, Set<String> httpHosts) throws IOException {
        if (isUrl(source)) {
            HttpFetch.Result fetched = new HttpFetch(Duration.ofSeconds(15), httpHosts, null)
                    .get(URI.create(source), HttpFetch.JWT_CREDENTIAL);
            if (!fetched.ok()) {
                throw new IOException(fetched.failure());
            }
            return new String(fetched.body(), StandardCharsets.UTF_8);
        }
        return Files.readString(Path.of(source));
    }

    /**
     * The issuer's well-known JWKS URL, from the unverified {@code iss}; {@code null} when the issuer
     * is a DID, whose keys the verifier resolves itself. Trusting either is safe: the keys found
     * there only verify credentials the holder of that origin or DID signed.
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
        if (iss.startsWith("did:")) {
            return null;
        }
        if (!isUrl(iss)) {
            throw new IOException("the credential's issuer \"" + iss + "\" is not an http(s) URL; pass --jwks FILE|URL");
        }
        URI issuer = URI.create(iss);
        return issuer.getScheme() + "://" + issuer.getRawAuthority() + "/.well-known/jwks.json";
    }
}
