package io.credpipe.bench;

import com.apicatalog.jsonld.JsonLd;
import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.document.JsonDocument;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.DataIntegritySigner;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.integrity.BundledContexts;
import io.credpipe.model.integrity.Ed25519Multikey;
import io.credpipe.model.integrity.EddsaRdfc2022;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the second securing costs: the same credpipe credentials secured as ES256 JWTs (Nimbus, what
 * the issuer does for every credential) and with an embedded {@code eddsa-rdfc-2022} Data Integrity
 * proof (what it does when a holder asks for the JSON-LD form), one thread, both warm. The Data
 * Integrity time is then taken apart: JSON-LD to RDF alone (titanium-json-ld with the bundled
 * contexts), the whole hash data (to RDF, RDFC-1.0 canonicalization, N-Quads, SHA-256, for the
 * document and the proof configuration), and the Ed25519 signature of the 64 bytes alone (JDK).
 * Results go to a markdown file, one section per JDK feature version.
 */
public final class SigningBenchmark {

    private static final PublicUrls URLS = new PublicUrls("https://credentials.example.com");
    private static final Instant ISSUED = Instant.parse("2026-05-21T08:00:00Z");
    private static final int ROUNDS = 5;

    /**
     * What to run.
     *
     * @param credentials   how many signatures of each kind are measured
     * @param warmUp        how many of each run before, to compile the code
     * @param keysDirectory where the benchmark's issuer keys are created
     * @param output        the markdown file the results go to
     */
    public record Options(int credentials, int warmUp, Path keysDirectory, Path output) {
        public Options {
            if (credentials < 1 || warmUp < 0) {
                throw new IllegalArgumentException("credentials must be positive, warm-up not negative");
            }
            Objects.requireNonNull(keysDirectory, "keysDirectory");
            Objects.requireNonNull(output, "output");
        }
    }

    /**
     * What was measured, in operations per second.
     *
     * @param jwtPerSecond           ES256 JWTs signed (Nimbus), payload serialization included
     * @param dataIntegrityPerSecond credentials secured with an eddsa-rdfc-2022 proof, end to end
     * @param toRdfPerSecond         JSON-LD to RDF of document and proof configuration, no canonicalization
     * @param hashDataPerSecond      the hash data: to RDF, RDFC-1.0, N-Quads and SHA-256 of both
     * @param ed25519PerSecond       Ed25519 signatures of 64 bytes
     * @param quads                  RDF quads in one credential (document + proof configuration)
     * @param averageBytes           the mean size of a credential as JSON
     */
    public record Result(double jwtPerSecond, double dataIntegrityPerSecond, double toRdfPerSecond,
            double hashDataPerSecond, double ed25519PerSecond, int quads, int averageBytes) {}

    private final Options options;
    private final PrintStream console;

    public SigningBenchmark(Options options, PrintStream console) {
        this.options = Objects.requireNonNull(options, "options");
        this.console = Objects.requireNonNull(console, "console");
    }

    public Result run() throws IOException {
        IssuerKeys keys = IssuerKeys.loadOrCreate(options.keysDirectory());
        PublishedKeys published = new PublishedKeys(keys, URLS);
        CredentialSigner signer = published.signer();
        Clock clock = Clock.fixed(ISSUED, ZoneOffset.UTC);
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(IssuerProfile.of(URLS, "Benchmark issuer"), URLS),
                keys.identitySalts(), signer, clock);
        StatusLists lists = new StatusLists(URLS);
        String listId = StatusLists.listId(0, 0);
        EddsaRdfc2022 suite = DataIntegritySigner.suite();
        DataIntegritySigner dataIntegrity = published.dataIntegritySigner(new DidWebDocument(URLS).did(), suite, clock);

        Framework framework = SeedFrameworks.load().get(0);
        int distinct = Math.min(options.credentials(), 500);
        console.printf("issuing %,d distinct credentials…%n", distinct);
        List<ObjectNode> credentials = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            credentials.add(CredentialSigner.signedDocument(issuer.issue(achieved(framework, i), framework, lists.entry(listId, i)).jwt()));
        }
        int averageBytes = (int) credentials.stream().mapToInt(c -> c.toString().length()).average().orElse(0);
        ObjectNode options0 = EddsaRdfc2022.proofOptions(dataIntegrity.verificationMethod(), ISSUED);
        List<ObjectNode> proofConfigs = credentials.stream().map(c -> {
            ObjectNode config = options0.deepCopy();
            config.set("@context", c.get("@context"));
            return config;
        }).toList();
        BundledContexts contexts = BundledContexts.standard();
        int quads = toRdf(contexts, credentials.get(0)) + toRdf(contexts, proofConfigs.get(0));
        KeyPair ed25519;
        try {
            ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] hash = suite.hashData(credentials.get(0), options0).bytes();

        Consumer<ObjectNode> jwt = signer::sign;
        Consumer<ObjectNode> secured = dataIntegrity::secure;
        Consumer<Integer> toRdf = i -> {
            toRdf(contexts, credentials.get(i));
            toRdf(contexts, proofConfigs.get(i));
        };
        Consumer<ObjectNode> hashData = c -> suite.hashData(c, options0);
        Runnable sign = () -> Ed25519Multikey.sign(ed25519.getPrivate(), hash);

        console.printf("warming up (%,d of each)…%n", options.warmUp());
        time(options.warmUp(), i -> jwt.accept(credentials.get(i % distinct)));
        time(options.warmUp(), i -> secured.accept(credentials.get(i % distinct)));
        time(options.warmUp(), i -> toRdf.accept(i % distinct));
        time(options.warmUp(), i -> hashData.accept(credentials.get(i % distinct)));
        time(options.warmUp(), i -> sign.run());
        // Interleaved rounds, best of each: on a shared machine, other work slows some rounds at random, and
        // the fastest round of each kind is the closest to its own cost.
        console.println("measuring…");
        int perRound = Math.max(1, options.credentials() / ROUNDS);
        double jwtRate = 0;
        double diRate = 0;
        double toRdfRate = 0;
        double hashRate = 0;
        double signRate = 0;
        for (int round = 0; round < ROUNDS; round++) {
            jwtRate = Math.max(jwtRate, time(perRound, i -> jwt.accept(credentials.get(i % distinct))));
            diRate = Math.max(diRate, time(perRound, i -> secured.accept(credentials.get(i % distinct))));
            toRdfRate = Math.max(toRdfRate, time(perRound, i -> toRdf.accept(i % distinct)));
            hashRate = Math.max(hashRate, time(perRound, i -> hashData.accept(credentials.get(i % distinct))));
            signRate = Math.max(signRate, time(perRound, i -> sign.run()));
        }
        Result result = new Result(jwtRate, diRate, toRdfRate, hashRate, signRate, quads, averageBytes);
        write(result);
        return result;
    }

    private static double time(int count, Consumer<Integer> operation) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            operation.accept(i);
        }
        return count == 0 ? 0 : count / ((System.nanoTime() - start) / 1e9);
    }

    private static int toRdf(BundledContexts contexts, ObjectNode document) {
        JsonLdOptions options = new JsonLdOptions(contexts);
        options.setUndefinedTermsPolicy(JsonLdOptions.ProcessingPolicy.Fail);
        try {
            return JsonLd.toRdf(JsonDocument.of(new StringReader(document.toString()))).options(options).get().size();
        } catch (JsonLdError e) {
            throw new IllegalStateException(e);
        }
    }

    private static LevelAchieved achieved(Framework framework, int n) {
        Operator operator = new Operator("bench:E" + n, "Operator " + n, "operator" + n + "@example.com");
        List<DemonstratedStatement> statements = new ArrayList<>();
        int count = 0;
        for (Statement statement : framework.statements(Level.EMERGING)) {
            count++;
            statements.add(new DemonstratedStatement(statement.id().toString(), operator.id() + "-" + count,
                    new Assessor("bench:assessor", null), "observation", ISSUED.minusSeconds(60L * count), null));
        }
        return new LevelAchieved(operator, framework.id(), Level.EMERGING, 1, statements, ISSUED.minusSeconds(30), null,
                LevelPolicy.DEFAULT.ref(), operator.id() + "-" + count);
    }

    private void write(Result r) throws IOException {
        int feature = Runtime.version().feature();
        double diMicros = 1e6 / r.dataIntegrityPerSecond();
        double rdfMicros = 1e6 / r.toRdfPerSecond();
        double hashMicros = 1e6 / r.hashDataPerSecond();
        double signMicros = 1e6 / r.ed25519PerSecond();
        String section = "## JDK " + feature + "\n\n"
                + "- JVM: " + System.getProperty("java.vm.name") + ' ' + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + "), " + Runtime.getRuntime().availableProcessors()
                + " processors, " + System.getProperty("os.name") + ' ' + System.getProperty("os.arch")
                + String.format(", system load average %.1f at the end of the run (a shared machine: other builds ran)%n",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + String.format("- N = %,d of each in " + ROUNDS + " interleaved rounds (best round of each kind shown), after %,d of each to warm up, over %,d distinct credentials of"
                        + " %,d bytes of JSON on average (%d RDF quads with the proof configuration), one thread%n%n",
                        options.credentials(), options.warmUp(), Math.min(options.credentials(), 500), r.averageBytes(), r.quads())
                + "| measurement | per second | µs each |\n|---|---:|---:|\n"
                + String.format("| ES256 JWT signature (Nimbus: payload to JSON, sign) | %,.0f | %,.0f |%n", r.jwtPerSecond(), 1e6 / r.jwtPerSecond())
                + String.format("| **eddsa-rdfc-2022 Data Integrity proof, end to end** | **%,.0f** | **%,.0f** |%n", r.dataIntegrityPerSecond(), diMicros)
                + String.format("| — of which JSON-LD to RDF (document + proof configuration) | %,.0f | %,.0f |%n", r.toRdfPerSecond(), rdfMicros)
                + String.format("| — of which the hash data (to RDF + RDFC-1.0 + N-Quads + SHA-256, both) | %,.0f | %,.0f |%n", r.hashDataPerSecond(), hashMicros)
                + String.format("| — of which the Ed25519 signature of 64 bytes (JDK) | %,.0f | %,.0f |%n", r.ed25519PerSecond(), signMicros)
                + String.format("%nWhere a Data Integrity proof's time goes: JSON-LD to RDF %.0f %%, RDFC-1.0 canonicalization,"
                        + " N-Quads and SHA-256 %.0f %%, the Ed25519 signature %.0f %%, the remainder %.0f %% (not measured apart: copying the JSON, and on a loaded machine mostly noise)."
                        + " A Data Integrity proof costs %.1f× an ES256 JWT.%n",
                        100 * rdfMicros / diMicros, 100 * (hashMicros - rdfMicros) / diMicros, 100 * signMicros / diMicros,
                        100 * Math.max(0, diMicros - hashMicros - signMicros) / diMicros, r.jwtPerSecond() / r.dataIntegrityPerSecond())
                + "The parts are measured on their own, so under load their shares need not add up to 100 %.\n";
        List<String> kept = new ArrayList<>();
        if (Files.exists(options.output())) {
            String existing = Files.readString(options.output());
            int start = existing.indexOf("\n## ");
            if (start >= 0) {
                Stream.of(existing.substring(start + 1).split("\n(?=## )"))
                        .filter(old -> !old.startsWith("## JDK " + feature + "\n"))
                        .forEach(old -> kept.add(old.strip() + "\n"));
            }
        }
        kept.add(section);
        kept.sort(Comparator.naturalOrder());
        String text = "# Signing benchmark\n\n"
                + "`credpipe bench signing`: the same credpipe credentials secured both ways, one thread, warm: as the\n"
                + "ES256 JWT every credential gets, and with the embedded eddsa-rdfc-2022 Data Integrity proof made when\n"
                + "a holder asks for the JSON-LD form (Learner Credential Wallet, VerifierPlus). The proof's time is\n"
                + "taken apart by measuring its parts on their own. Timings on a shared machine drift; compare the\n"
                + "rows of one run, not runs.\n\n"
                + String.join("\n", kept);
        Path parent = options.output().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(options.output(), text);
    }
}
