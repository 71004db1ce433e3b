package io.credpipe.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.CredentialSigner;
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
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.jws.TrustedKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How fast an employer verifies: credpipe-issued ES256 credentials (each with a status entry and
 * the OB 3.0 {@code credentialSchema}) through {@link CredentialVerifier}, every check included
 * (JSON Schema validation, status from a list kept in memory, as a cached list would be), against
 * raw Nimbus signature verification of the same JWTs on the same thread. Both are measured warm;
 * raw runs before and after the verifier and the two runs are averaged, since a shared machine's
 * speed drifts. Results go to a markdown file, one section per JDK feature version.
 */
public final class VerifierBenchmark {

    private static final PublicUrls URLS = new PublicUrls("https://credentials.example.com");
    private static final Instant ISSUED = Instant.parse("2026-05-21T08:00:00Z");
    private static final String LIST_ID = StatusLists.listId(0, 0);

    /**
     * What to run.
     *
     * @param credentials how many credentials are verified in a measured run
     * @param warmUp      how many verifications (of each kind) run before, to compile the code
     * @param keysDirectory where the benchmark's issuer keys are created
     * @param output      the markdown file the results go to
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
     * What was measured.
     *
     * @param verifierPerSecond   credentials verified per second through {@link CredentialVerifier}
     * @param rawBeforePerSecond  raw Nimbus verifications per second before the verifier ran
     * @param rawAfterPerSecond   the same, after
     * @param averageBytes        the mean size of a credential JWT
     */
    public record Result(double verifierPerSecond, double rawBeforePerSecond, double rawAfterPerSecond, int averageBytes,
            double verifierCpuMicros, double rawCpuMicros) {

        /** Raw CPU per verification over the verifier's: the steadier ratio on a shared machine. */
        public double cpuRatio() {
            return rawCpuMicros / verifierCpuMicros;
        }

        /** The mean of the two raw runs. */
        public double rawPerSecond() {
            return (rawBeforePerSecond + rawAfterPerSecond) / 2;
        }

        /** Verifier / raw. */
        public double ratio() {
            return verifierPerSecond / rawPerSecond();
        }
    }

    private final Options options;
    private final PrintStream console;

    public VerifierBenchmark(Options options, PrintStream console) {
        this.options = Objects.requireNonNull(options, "options");
        this.console = Objects.requireNonNull(console, "console");
    }

    public Result run() throws IOException {
        IssuerKeys keys = IssuerKeys.loadOrCreate(options.keysDirectory());
        PublishedKeys published = new PublishedKeys(keys, URLS);
        CredentialSigner signer = published.signer();
        IssuerProfile profile = IssuerProfile.of(URLS, "Benchmark issuer");
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(profile, URLS), keys.identitySalts(),
                signer, Clock.fixed(ISSUED, ZoneOffset.UTC));
        StatusLists lists = new StatusLists(URLS);
        String statusList = signer.sign(lists.credential(StatusLists.empty(LIST_ID, ISSUED), profile)).jwt();

        Framework framework = SeedFrameworks.load().get(0);
        int distinct = Math.min(options.credentials(), 2_000);
        console.printf("issuing %,d distinct credentials…%n", distinct);
        List<String> jwts = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            jwts.add(issuer.issue(achieved(framework, i), framework, lists.entry(LIST_ID, i)).jwt());
        }
        int averageBytes = (int) jwts.stream().mapToInt(String::length).average().orElse(0);

        JWKSet jwks = published.jwks();
        CredentialVerifier verifier = CredentialVerifier.builder()
                .trustedKeys(TrustedKeys.of(jwks))
                .clock(Clock.fixed(ISSUED.plusSeconds(3600), ZoneOffset.UTC))
                .statusLists(url -> statusList)
                .build();
        VerificationReport sample = verifier.verify(jwts.get(0));
        if (!sample.verified()) {
            throw new IllegalStateException("the benchmark credential does not verify:\n" + sample.describe());
        }
        ECDSAVerifier raw;
        try {
            raw = new ECDSAVerifier((ECKey) jwks.getKeyByKeyId(signer.keyId()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }

        console.printf("warming up (%,d of each)…%n", options.warmUp());
        rawRun(raw, jwts, options.warmUp());
        verifierRun(verifier, jwts, options.warmUp());
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        double rawBefore = rawRun(raw, jwts, options.credentials());
        long cpu1 = cpu.getCurrentThreadCpuTime();
        double verified = verifierRun(verifier, jwts, options.credentials());
        long cpu2 = cpu.getCurrentThreadCpuTime();
        double rawAfter = rawRun(raw, jwts, options.credentials());
        long cpu3 = cpu.getCurrentThreadCpuTime();
        Result result = new Result(verified, rawBefore, rawAfter, averageBytes, (cpu2 - cpu1) / 1e3 / options.credentials(),
                ((cpu1 - cpu0) + (cpu3 - cpu2)) / 2e3 / options.credentials());
        write(result);
        return result;
    }

    private static double rawRun(ECDSAVerifier raw, List<String> jwts, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            try {
                if (!JWSObject.parse(jwts.get(i % jwts.size())).verify(raw)) {
                    throw new IllegalStateException("raw verification failed");
                }
            } catch (ParseException | JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double verifierRun(CredentialVerifier verifier, List<String> jwts, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (!verifier.verify(jwts.get(i % jwts.size())).verified()) {
                throw new IllegalStateException("verification failed");
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
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

    private void write(Result result) throws IOException {
        int feature = Runtime.version().feature();
        String section = "## JDK " + feature + "\n\n"
                + "- JVM: " + System.getProperty("java.vm.name") + ' ' + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + "), " + Runtime.getRuntime().availableProcessors()
                + " processors, " + System.getProperty("os.name") + ' ' + System.getProperty("os.arch")
                + String.format(", system load average %.1f at the end of the run%n",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + String.format("- N = %,d verifications of each kind, measured after %,d of each to warm up, over %,d"
                        + " distinct ES256 credentials of %,d bytes on average, one thread%n%n",
                        options.credentials(), options.warmUp(), Math.min(options.credentials(), 2_000), result.averageBytes())
                + "| measurement | credentials/s |\n|---|---:|\n"
                + String.format("| `CredentialVerifier.verify`: every check, JSON Schema and status (list in memory) included | %,.0f |%n",
                        result.verifierPerSecond())
                + String.format("| raw Nimbus ES256 verification (`JWSObject.parse` + `verify`), same JWTs (mean of before / after: %,.0f / %,.0f) | %,.0f |%n",
                        result.rawBeforePerSecond(), result.rawAfterPerSecond(), result.rawPerSecond())
                + String.format("| **ratio** (verifier / raw) | **%.0f %%** |%n", 100 * result.ratio())
                + String.format("%nCPU time of the measuring thread per verification: verifier %.0f µs, raw %.0f µs (mean of before / after);"
                        + " **ratio by CPU %.0f %%**, the steadier figure when other processes share the cores.%n",
                        result.verifierCpuMicros(), result.rawCpuMicros(), 100 * result.cpuRatio());
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
        String text = "# Verifier benchmark\n\n"
                + "`credpipe bench verifier`: credpipe-issued credentials verified through `CredentialVerifier` (compact\n"
                + "JWS, algorithm, header, key, signature, credential form, claims, dates, status list, JSON Schema)\n"
                + "against raw Nimbus signature verification of the same JWTs, one thread, both measured warm. The\n"
                + "status list is served from memory and its signature, checked once, is remembered by the verifier,\n"
                + "as it is for a list cached over HTTP. Target: verifier >= 50 % of raw.\n\n"
                + String.join("\n", kept);
        Path parent = options.output().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(options.output(), text);
    }
}
