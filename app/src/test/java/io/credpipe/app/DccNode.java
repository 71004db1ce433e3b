package io.credpipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Digital Credentials Consortium's own software, in Node.js: its verifier,
 * {@code @digitalcredentials/verifier-core} (npm), the verification library of VerifierPlus and the
 * Learner Credential Wallet ({@code src/test/node/dcc-verifier/verify.mjs}); and the Learner
 * Credential Wallet's way of collecting a credential, on that wallet's own libraries
 * ({@code src/test/node/lcw-holder/lcw.mjs}). Package and lock files pin the exact versions,
 * installed with {@code npm ci} into {@code target/}, as for {@link NodeWallet}.
 */
final class DccNode {

    private static final Path VERIFIER_SOURCE = Paths.get("src/test/node/dcc-verifier");
    private static final Path VERIFIER = Paths.get("target/node-dcc-verifier");
    private static final Path HOLDER_SOURCE = Paths.get("src/test/node/lcw-holder");
    private static final Path HOLDER = Paths.get("target/node-lcw-holder");

    private final ObjectMapper mapper = Json.newMapper();
    private final Map<String, String> environment;

    /**
     * @param trustedCertificate a PEM certificate Node.js trusts besides its own roots (the issuer's TLS front)
     * @param offlineDocuments   public documents verifier-core fetches with the global fetch, by URL, served
     *                           from local copies (no internet on test machines)
     */
    DccNode(Path trustedCertificate, Map<String, Path> offlineDocuments) throws IOException {
        Map<String, String> offline = new java.util.TreeMap<>();
        offlineDocuments.forEach((url, file) -> offline.put(url, file.toAbsolutePath().toString()));
        this.environment = Map.of("NODE_EXTRA_CA_CERTS", trustedCertificate.toAbsolutePath().toString(),
                "OFFLINE_DOCUMENTS", mapper.writeValueAsString(offline));
    }

    /** Installs both projects' locked dependencies once per build directory. */
    static synchronized void install() throws IOException {
        install(VERIFIER_SOURCE, VERIFIER, List.of("package.json", "package-lock.json", "verify.mjs"), "@digitalcredentials/verifier-core");
        install(HOLDER_SOURCE, HOLDER, List.of("package.json", "package-lock.json", "lcw.mjs"), "@digitalcredentials/vc");
    }

    private static void install(Path source, Path work, List<String> files, String marker) throws IOException {
        Files.createDirectories(work);
        for (String file : files) {
            Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(work.resolve("node_modules").resolve(marker))) {
            return;
        }
        NodeWallet.Result installed = NodeWallet.run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"),
                work, 300, Map.of());
        if (installed.exit() != 0) {
            throw new IllegalStateException("npm ci failed in " + work + ": " + installed.err());
        }
    }

    /**
     * Collects a credential as the Learner Credential Wallet does: {@code deep-link} posts a DID
     * Authentication with {@code challenge} straight to {@code url} (the deep link's {@code vc_request_url});
     * {@code exchange} runs the VC-API exchange at {@code url}.
     *
     * @return {@code {"holder", "status", "response"}}: the wallet's new DID and the last answer
     */
    JsonNode collect(String mode, String url, String challenge) throws IOException {
        Path result = Files.createTempFile("lcw-holder", ".json");
        NodeWallet.Result run = NodeWallet.run(List.of("node", "lcw.mjs", mode, url, challenge == null ? "-" : challenge,
                result.toAbsolutePath().toString()), HOLDER, 180, environment);
        if (run.exit() != 0) {
            throw new AssertionError("the LCW holder failed (exit " + run.exit() + "): " + run.err() + run.out());
        }
        JsonNode outcome = mapper.readTree(result.toFile());
        Files.deleteIfExists(result);
        return outcome;
    }

    /** verifier-core's {@code verifyCredential} result for each file, by the file's absolute path. */
    JsonNode verify(List<Path> credentials) throws IOException {
        Path result = Files.createTempFile("dcc-verifier", ".json");
        List<String> command = new ArrayList<>(List.of("node", "verify.mjs", result.toAbsolutePath().toString()));
        credentials.forEach(file -> command.add(file.toAbsolutePath().toString()));
        NodeWallet.Result run = NodeWallet.run(command, VERIFIER, 180, environment);
        if (run.exit() != 0) {
            throw new AssertionError("verifier-core failed (exit " + run.exit() + "): " + run.err() + run.out());
        }
        JsonNode results = mapper.readTree(result.toFile());
        Files.deleteIfExists(result);
        return results;
    }
}
