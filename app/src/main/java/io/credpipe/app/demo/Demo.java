package io.credpipe.app.demo;

import io.credpipe.topics.client.KafkaClientSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.app.Pipeline;
import io.credpipe.ingest.client.BatchReceipts;
import io.credpipe.app.kafka.TopicSnapshot;
import io.credpipe.issuer.status.CredentialStanding;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.issuer.IssuerService;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.json.Json;
import io.credpipe.topics.topic.Topics;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.CredentialSummary;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.status.StatusListSource;
import io.credpipe.verifier.status.StatusStanding;
import io.credpipe.verifier.VerificationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code credpipe demo}: plays a realistic history through a running pipeline over HTTP, waits until
 * every service has processed everything, and writes and verifies what was issued.
 *
 * <p>Longer than 400 lines because it is one story told in order (play, wait, write, verify, revoke, suspend, CLR);
 * the Data Integrity step is its own class, {@link DataIntegrityDemo}.
 */
public final class Demo {

    /** Operators in the demo history. */
    public static final int OPERATORS = 36;
    private static final long SEED = 2026;
    /** The line status of the one event that names an unknown statement on purpose. */
    static final String REFUSED_ON_PURPOSE = "rejected: unknown_statement";
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(3);
    /** The result card's heading on the verification page. */
    private static final Pattern VERDICT_HEADING = Pattern.compile("<h1 id=\"verdict\">([^<]*)</h1>");

    private final Pipeline pipeline;
    private final Path out;
    private final PrintWriter console;
    private final ObjectMapper mapper = Json.newMapper();

    public Demo(Pipeline pipeline, Path out, PrintWriter console) {
        this.pipeline = pipeline;
        this.out = out;
        this.console = console;
    }

    /**
     * What a demo run did.
     *
     * @param sent events sent (resends included)
     * @param statuses how many responses of each HTTP status
     * @param issuedThisRun credentials issued by this run
     * @param credentials every credential on the topic after the run
     * @param failedVerification credentials (by id) and the learner record (by file) that did not verify
     * @param rejected events the pipeline rejected, all runs
     * @param standings each credential's revoked/suspended bits, as its signed status list reports them
     * @param statusMismatches credentials whose status list disagrees with what happened to them
     * @param progressMismatches levels where the progress endpoint disagrees with the operator's credentials
     */
    public record Result(int sent, Map<String, Integer> statuses, List<IssuedCredential> issuedThisRun,
            List<IssuedCredential> credentials, List<String> failedVerification, int rejected,
            Map<String, CredentialStanding> standings, List<String> statusMismatches, List<String> progressMismatches) {

        /**
         * Whether every line was accepted or recognised as a resend ({@code duplicate}) but the one
         * event that names an unknown statement on purpose, every credential and the CLR verified, and
         * every status list entry says what happened to its credential.
         */
        public boolean ok() {
            return failedVerification.isEmpty() && statusMismatches.isEmpty() && progressMismatches.isEmpty()
                    && statuses.getOrDefault(REFUSED_ON_PURPOSE, 0) == DemoHistory.REFUSED_ON_PURPOSE
                    && statuses.keySet().stream().allMatch(s -> s.equals("accepted") || s.equals("duplicate") || s.equals(REFUSED_ON_PURPOSE));
        }
    }

    /** Runs the demo; returns what it did. */
    public Result run() throws IOException, InterruptedException {
        KafkaClientSettings bootstrap = pipeline.kafka();
        Map<TopicPartition, Long> before = TopicSnapshot.endOffsets(bootstrap, Topics.CREDENTIALS, Duration.ofSeconds(30));

        List<DemoHistory.OperatorScript> scripts = DemoHistory.generate(SeedFrameworks.load(), OPERATORS, SEED);
        int events = scripts.stream().mapToInt(s -> s.sends().size()).sum();
        console.printf("Sending %d assessment events for %d operators to %s/v1/assessments …%n",
                events, scripts.size(), pipeline.httpBase("127.0.0.1"));
        // The demo's HR system: a fresh key for its source each run (rotating replaces the previous one).
        // It sends the events, and later reads its operators' records as it would to show them to them.
        String hrKey = pipeline.apiKeys().rotate(DemoHistory.SOURCE, false).key();
        DemoBatches.Sent sent = DemoBatches.send(pipeline.httpBase("127.0.0.1"), hrKey, scripts, console);
        Map<String, Integer> statuses = sent.outcomes();
        console.printf("Lines: %s, in %d batches.%n", statuses, sent.batches().size());

        console.print("Waiting on the batches' receipts until the evaluator and the issuer have processed them …");
        console.flush();
        Instant started = Instant.now();
        new BatchReceipts(java.net.URI.create(pipeline.httpBase("127.0.0.1")), hrKey)
                .awaitFinished(sent.batches(), IDLE_TIMEOUT, (processed, accepted) -> { });
        console.printf(" done in %.1f s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);

        List<ConsumerRecord<String, IssuedCredential>> records = TopicSnapshot.read(bootstrap, Topics.CREDENTIALS, Duration.ofSeconds(60));
        Map<String, IssuedCredential> latest = new HashMap<>();
        List<IssuedCredential> issuedThisRun = new ArrayList<>();
        for (ConsumerRecord<String, IssuedCredential> record : records) {
            latest.put(record.key(), record.value());
            long firstNew = before.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L);
            if (record.offset() >= firstNew) {
                issuedThisRun.add(record.value());
            }
        }
        List<IssuedCredential> credentials = latest.values().stream()
                .sorted(Comparator.comparing(IssuedCredential::operatorId)
                        .thenComparing(c -> c.framework().toString())
                        .thenComparing(IssuedCredential::level)
                        .thenComparingInt(IssuedCredential::sequence))
                .toList();
        Map<String, LevelLost> losses = losses(bootstrap);
        int rejected = TopicSnapshot.read(bootstrap, Topics.ASSESSMENTS_REJECTED, Duration.ofSeconds(30)).size();

        write(credentials);
        String suspended = suspendOne(credentials, losses);
        Map<String, CredentialStanding> standings = awaitStandings(credentials, losses, suspended);
        List<String> mismatches = mismatches(credentials, losses, suspended, standings);
        writeStatusLists();
        Path clr = writeClr(credentials, losses, suspended, hrKey);
        List<String> failed = verify(credentials, losses, suspended);
        boolean clrVerified = verifyClr(clr);
        IssuedCredential current = current(credentials, losses, suspended);
        if (current != null && !new DataIntegrityDemo(pipeline, out, console).run(current)) {
            failed.add(current.credentialId() + ".ld.json");
        }
        List<String> progressMismatches = checkProgress(credentials, losses, suspended, hrKey);
        printTable(credentials, losses, issuedThisRun, standings);
        console.printf("%nIssued this run: %d. Credentials in total: %d. Rejected events (all runs): %d.%n",
                issuedThisRun.size(), credentials.size(), rejected);
        console.printf("Wrote %s/credentials/<id>.jwt and .json, and %s/jwks.json.%n", out, out);
        if (failed.isEmpty()) {
            console.printf("Verified all %d credentials from %s/jwks.json and %s/status: signatures, dates and status as expected.%n",
                    credentials.size(), out, out);
        } else {
            console.printf("%d credentials FAILED verification: %s%n", failed.size(), failed);
        }
        long revokedCount = standings.values().stream().filter(CredentialStanding::revoked).count();
        long suspendedCount = standings.values().stream().filter(CredentialStanding::suspended).count();
        console.printf("Status lists (%s/status/<list>.jwt, signed): %d revoked (levels lost), %d suspended (%s, by an admin).%n",
                out, revokedCount, suspendedCount, suspended);
        if (!mismatches.isEmpty()) {
            console.printf("Status lists DISAGREE with what happened to: %s%n", mismatches);
        }
        JsonNode record = mapper.readTree(Base64.getUrlDecoder().decode(Files.readString(clr).strip().split("\\.")[1]));
        console.printf("Comprehensive Learner Record (CLR 2.0, signed) of one operator: %s (%d current credentials, %d level associations)%s.%n",
                clr, record.at("/credentialSubject/verifiableCredential").size(), record.at("/credentialSubject/association").size(),
                clrVerified ? ", verified from " + out + "/jwks.json and " + out + "/status" : ", which FAILED verification");
        if (!clrVerified) {
            failed.add(clr.toString());
        }
        if (!progressMismatches.isEmpty()) {
            console.printf("Progress DISAGREES with the credentials: %s%n", progressMismatches);
        }
        showOnVerifyPage(credentials, losses, suspended);
        failed.addAll(new OperatorPageStep(pipeline, console).show(credentials));
        new WalletDemo(pipeline, out, console).writeOffer(credentials.stream()
                .filter(c -> !lost(credentials, losses, c.credentialId()) && !c.credentialId().equals(suspended)
                        && (c.validUntil() == null || c.validUntil().isAfter(Instant.now())))
                .toList());
        return new Result(events, statuses, List.copyOf(issuedThisRun), credentials, failed, rejected, standings, mismatches,
                progressMismatches);
    }

    /**
     * An admin suspends one active credential (records under review), through the same HTTP API an
     * operator of credpipe would use. The choice is deterministic, and a second run finds it suspended
     * already and changes nothing.
     */
    private String suspendOne(List<IssuedCredential> credentials, Map<String, LevelLost> losses)
            throws IOException, InterruptedException {
        IssuedCredential chosen = credentials.stream()
                .filter(c -> !losses.containsKey(achievementKey(c)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the demo history left no active credential to suspend"));
        CredentialStanding now = standing(chosen, pipeline.issuer().orElseThrow().statusLists());
        // Its level is not lost, so a set revocation bit is the suspension of an earlier run.
        if (now.suspended() || now.revoked()) {
            return chosen.credentialId();
        }
        String adminKey = pipeline.apiKeys().rotate("demo-admin", true).key();
        HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(pipeline.httpBase("127.0.0.1") + "/v1/credentials/" + chosen.credentialId() + "/suspend"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminKey)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\":\"demo: training records under review\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("suspending " + chosen.credentialId() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return chosen.credentialId();
    }

    /** The URL of an operator's routes on this pipeline; the id is a path segment (RFC 3986 §3.3). */
    private String operatorUrl(String operatorId) {
        // URLEncoder writes form encoding, where a space is '+'; in a path it is %20.
        return pipeline.httpBase("127.0.0.1") + "/v1/operators/"
                + java.net.URLEncoder.encode(operatorId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Asks the evaluator's progress endpoint, as an operator's web page would, about the holder of
     * the suspended credential, writes the answer to {@code out/progress/<operator>.json}, and
     * compares it with the credentials: every level the operator holds an unrevoked credential for
     * must be met, with that credential's achievement as the latest; every level lost must not be.
     *
     * @return the disagreements, empty when there are none
     */
    private List<String> checkProgress(List<IssuedCredential> credentials, Map<String, LevelLost> losses, String suspended,
            String hrKey) throws IOException, InterruptedException {
        String operatorId = credentials.stream().filter(c -> c.credentialId().equals(suspended)).findFirst()
                .orElseThrow().operatorId();
        String url = operatorUrl(operatorId) + "/progress";
        HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url)).header("Authorization", "Bearer " + hrKey).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return List.of("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        Files.createDirectories(out.resolve("progress"));
        Path file = out.resolve("progress").resolve(operatorId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
        JsonNode report = mapper.readTree(response.body());
        Files.writeString(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report));

        Map<String, JsonNode> levels = new HashMap<>();
        StringBuilder summary = new StringBuilder();
        for (JsonNode framework : report.path("frameworks")) {
            summary.append(String.format("%n  %s:", framework.path("framework").asText()));
            for (JsonNode level : framework.path("levels")) {
                levels.put(framework.path("framework").asText() + "/" + level.path("level").asText(), level);
                summary.append(String.format(" %s %s (%d/%d)", level.path("level").asText(),
                        level.path("met").asBoolean() ? "met" : "not met",
                        level.path("demonstrated").size(), level.path("statements").asInt()));
            }
        }
        List<String> mismatches = new ArrayList<>();
        Map<String, IssuedCredential> latestPerLevel = new HashMap<>();
        credentials.stream().filter(c -> c.operatorId().equals(operatorId))
                .forEach(c -> latestPerLevel.merge(c.framework() + "/" + c.level().id(), c,
                        (a, b) -> a.sequence() >= b.sequence() ? a : b));
        latestPerLevel.forEach((key, credential) -> {
            JsonNode level = levels.get(key);
            boolean lost = losses.containsKey(achievementKey(credential));
            if (level == null) {
                mismatches.add(key + ": no progress reported");
            } else if (level.path("met").asBoolean() == lost) {
                mismatches.add(key + ": progress says " + (lost ? "met" : "not met") + " but the latest credential "
                        + credential.credentialId() + (lost ? " was revoked when the level was lost" : " is current"));
            } else if (level.path("achievements").asInt() != credential.sequence()) {
                mismatches.add(key + ": progress counts " + level.path("achievements").asInt()
                        + " achievements, the latest credential is number " + credential.sequence());
            }
        });
        console.printf("Progress of operator %s (GET %s, written to %s):%s%n", operatorId, url, file, summary);
        return mismatches;
    }

    /** Reads every credential's standing from the status lists, once they show the suspension (applied asynchronously). */
    private Map<String, CredentialStanding> awaitStandings(List<IssuedCredential> credentials, Map<String, LevelLost> losses,
            String suspended) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Map<String, CredentialStanding> standings = new HashMap<>();
            // One snapshot of the lists per round, not one per credential.
            Map<String, StatusListState> lists = pipeline.issuer().orElseThrow().statusLists();
            credentials.forEach(c -> standings.put(c.credentialId(), standing(c, lists)));
            // A suspension is a revocation with its reason recorded (a one-bit revocation entry carries
            // no reason): the credential this demo's admin suspended, its level not lost, reads revoked.
            standings.computeIfPresent(suspended, (id, read) -> read.revoked() && !lost(credentials, losses, id)
                    ? new CredentialStanding(false, true) : read);
            if (mismatches(credentials, losses, suspended, standings).isEmpty() || Instant.now().isAfter(deadline)) {
                return standings;
            }
            Thread.sleep(250);
        }
    }

    private static boolean lost(List<IssuedCredential> credentials, Map<String, LevelLost> losses, String credentialId) {
        return credentials.stream().filter(c -> c.credentialId().equals(credentialId))
                .anyMatch(c -> losses.containsKey(achievementKey(c)));
    }

    private static List<String> mismatches(List<IssuedCredential> credentials, Map<String, LevelLost> losses, String suspended,
            Map<String, CredentialStanding> standings) {
        List<String> wrong = new ArrayList<>();
        for (IssuedCredential c : credentials) {
            CredentialStanding standing = standings.get(c.credentialId());
            boolean shouldBeRevoked = losses.containsKey(achievementKey(c));
            boolean shouldBeSuspended = c.credentialId().equals(suspended);
            if (standing.revoked() != shouldBeRevoked || standing.suspended() != shouldBeSuspended) {
                wrong.add(c.credentialId());
            }
        }
        return wrong;
    }

    /** A credential's bits in the status list its {@code credentialStatus} names. */
    private CredentialStanding standing(IssuedCredential credential, Map<String, StatusListState> lists) {
        JsonNode status;
        try {
            status = mapper.readTree(Base64.getUrlDecoder().decode(credential.jwt().split("\\.")[1])).path("credentialStatus");
        } catch (IOException e) {
            throw new IllegalStateException("credential " + credential.credentialId() + " has no readable payload", e);
        }
        String url = status.path("statusListCredential").asText();
        String listId = url.substring(url.lastIndexOf('/') + 1);
        int index = Integer.parseInt(status.path("statusListIndex").asText());
        StatusListState list = lists.get(listId);
        if (list == null) {
            return CredentialStanding.VALID;
        }
        return StatusLists.standing(list, index);
    }

    private boolean revocationEntry(IssuedCredential credential) throws IOException {
        return mapper.readTree(Base64.getUrlDecoder().decode(credential.jwt().split("\\.")[1]))
                .at("/credentialStatus/statusPurpose").asText().equals(StatusLists.REVOCATION);
    }

    /** Writes each signed status list credential, as {@code GET /v1/status/{list}} serves it (no trailing newline). */
    private void writeStatusLists() throws IOException {
        Path dir = out.resolve("status");
        Files.createDirectories(dir);
        IssuerService issuer = pipeline.issuer().orElseThrow();
        for (String listId : issuer.statusLists().keySet()) {
            String jwt = issuer.statusListCredential(listId).orElseThrow();
            Files.writeString(dir.resolve(listId + ".jwt"), jwt);
        }
    }

    /**
     * Downloads, over HTTP as a holder's wallet would, the signed CLR of the operator with the most
     * current credentials (the first by id among equals), to {@code out/clr/<operator>.jwt} and
     * decoded beside it. Waits until the issuer's global store lists every credential of that
     * operator with a known status: it follows {@code credentials} asynchronously.
     *
     * @return the written {@code .jwt} file
     */
    private Path writeClr(List<IssuedCredential> credentials, Map<String, LevelLost> losses, String suspended,
            String hrKey) throws IOException, InterruptedException {
        Instant now = Instant.now();
        Map<String, List<IssuedCredential>> byOperator = new java.util.TreeMap<>();
        credentials.forEach(c -> byOperator.computeIfAbsent(c.operatorId(), id -> new ArrayList<>()).add(c));
        Map.Entry<String, List<IssuedCredential>> chosen = byOperator.entrySet().stream()
                .max(Comparator.comparingLong((Map.Entry<String, List<IssuedCredential>> e) -> e.getValue().stream()
                                .filter(c -> !losses.containsKey(achievementKey(c)) && !c.credentialId().equals(suspended)
                                        && (c.validUntil() == null || c.validUntil().isAfter(now)))
                                .count())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow(() -> new IllegalStateException("the demo issued no credential"));
        String operator = chosen.getKey();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        String base = operatorUrl(operator);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            HttpResponse<String> list = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/credentials"))
                    .header("Authorization", "Bearer " + hrKey).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode listed = list.statusCode() == 200 ? mapper.readTree(list.body()).path("credentials") : null;
            if (listed != null && listed.size() == chosen.getValue().size()
                    && java.util.stream.StreamSupport.stream(listed.spliterator(), false)
                            .noneMatch(c -> c.path("status").asText().equals("unknown"))) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the issuer did not list the " + chosen.getValue().size()
                        + " credentials of " + operator + " within 60 s; last answer " + list.statusCode());
            }
            Thread.sleep(250);
        }
        HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/clr"))
                .header("Accept", "application/jwt").header("Authorization", "Bearer " + hrKey).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the CLR of " + operator + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        Path dir = out.resolve("clr");
        Files.createDirectories(dir);
        String name = operator.replaceAll("[^A-Za-z0-9._-]", "_");
        Path jwt = dir.resolve(name + ".jwt");
        Files.writeString(jwt, response.body().strip());
        Files.writeString(dir.resolve(name + ".json"), decodedPayload(response.body().strip()));
        return jwt;
    }

    private static String achievementKey(IssuedCredential c) {
        return achievementKey(c.operatorId(), c.framework().toString(), c.level().id(), c.sequence());
    }

    /** The latest loss of each achievement, keyed like {@link #achievementKey}. */
    private Map<String, LevelLost> losses(KafkaClientSettings bootstrap) {
        Map<String, LevelLost> losses = new HashMap<>();
        for (var record : TopicSnapshot.read(bootstrap, Topics.ACHIEVEMENTS, Duration.ofSeconds(60))) {
            LevelDecision decision = record.value();
            if (decision instanceof LevelLost lost) {
                losses.put(achievementKey(lost.operator().id(), lost.framework().toString(), lost.level().id(), lost.sequence()), lost);
            } else if (decision instanceof LevelAchieved achieved) {
                losses.remove(achievementKey(achieved.operator().id(), achieved.framework().toString(), achieved.level().id(), achieved.sequence()));
            }
        }
        return losses;
    }

    private static String achievementKey(String operator, String framework, String level, int sequence) {
        return operator + "|" + framework + "|" + level + "|" + sequence;
    }

    /** Writes every credential (compact JWS and decoded) and the issuer's public keys. */
    private void write(List<IssuedCredential> credentials) throws IOException {
        Path dir = out.resolve("credentials");
        Files.createDirectories(dir);
        Files.writeString(out.resolve("jwks.json"), pipeline.issuer().orElseThrow().publishedKeys().jwksJson());
        for (IssuedCredential credential : credentials) {
            Files.writeString(dir.resolve(credential.credentialId() + ".jwt"), credential.jwt());
            Files.writeString(dir.resolve(credential.credentialId() + ".json"), decodedPayload(credential.jwt()));
        }
    }

    /**
     * Verifies every written credential as an employer would, from the written files only: the
     * issuer's public keys and the signed status lists. A credential passes when every check but
     * status passes and its status is what happened to it (revoked after its level was lost,
     * suspended by the demo's admin, valid otherwise).
     *
     * @return the ids of the credentials that did not
     */
    private List<String> verify(List<IssuedCredential> credentials, Map<String, LevelLost> losses, String suspended)
            throws IOException {
        CredentialVerifier verifier = employerVerifier();
        List<String> failed = new ArrayList<>();
        for (IssuedCredential credential : credentials) {
            VerificationReport report = verifier.verifyFile(out.resolve("credentials").resolve(credential.credentialId() + ".jwt"));
            // A suspended credential with a revocation entry reads revoked; one with an older two-bit entry, suspended.
            StatusStanding.State expected = losses.containsKey(achievementKey(credential)) ? StatusStanding.State.REVOKED
                    : credential.credentialId().equals(suspended)
                            ? (revocationEntry(credential) ? StatusStanding.State.REVOKED : StatusStanding.State.SUSPENDED)
                            : StatusStanding.State.VALID;
            boolean onlyStatusFailed = report.failures().stream().allMatch(f -> f.name().equals(Check.STATUS));
            StatusStanding.State actual = report.summary().flatMap(CredentialSummary::status)
                    .map(StatusStanding::state).orElse(null);
            if (!onlyStatusFailed || actual != expected) {
                failed.add(credential.credentialId());
                console.printf("%s: expected status %s, verifier says:%n%s%n", credential.credentialId(), expected, report.describe());
            }
        }
        return failed;
    }

    /**
     * Verifies the written CLR as an employer would, from the written files only: it must verify,
     * every credential it bundles currently valid.
     */
    private boolean verifyClr(Path clr) {
        VerificationReport report = employerVerifier().verifyFile(clr);
        if (!report.verified()) {
            console.printf("%s: the learner record does not verify:%n%s%n", clr, report.describe());
        }
        return report.verified();
    }

    /**
     * Prints the verification page's link for one current credential, as an employer would open it
     * while the pipeline runs, and what the page says about it: the page fetches the credential from
     * its public URL, the issuer's keys from the issuer's JWKS and its status list, as a stranger would.
     */
    private void showOnVerifyPage(List<IssuedCredential> credentials, Map<String, LevelLost> losses, String suspended)
            throws IOException, InterruptedException {
        IssuedCredential current = current(credentials, losses, suspended);
        if (current == null) {
            return;
        }
        // The credential's own id, which dereferences to it (the link an operator shares).
        String credentialUrl = pipeline.urls().credential(io.credpipe.model.credential.CredentialId.parse(current.credentialId()));
        String link = pipeline.httpBase("127.0.0.1") + "/verify?url=" + URLEncoder.encode(credentialUrl, StandardCharsets.UTF_8);
        HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(link)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher heading = VERDICT_HEADING.matcher(page.body());
        String says = heading.find() ? heading.group(1) : "HTTP " + page.statusCode();
        console.printf("Employers check a credential on the verification page, e.g. %s's (%s %s), while the pipeline runs:%n  %s (it says: %s)%n",
                current.operatorId(), current.framework(), current.level().id(), link, says);
        if (!says.equals("Verified") && !pipeline.urls().base().equals(pipeline.httpBase("127.0.0.1"))) {
            console.printf("  (the credentials name %s, which this run does not serve: a port taken since the first run)%n",
                    pipeline.urls().base());
        }
    }

    /** The first credential that is neither revoked nor suspended, or {@code null}. */
    private static IssuedCredential current(List<IssuedCredential> credentials, Map<String, LevelLost> losses, String suspended) {
        return credentials.stream()
                .filter(c -> !losses.containsKey(achievementKey(c)) && !c.credentialId().equals(suspended))
                .findFirst().orElse(null);
    }

    /** A verifier with only what the demo wrote: the issuer's public keys and the signed status lists. */
    private CredentialVerifier employerVerifier() {
        return CredentialVerifier.builder()
                .trustedKeys(out.resolve("jwks.json"))
                .statusLists(StatusListSource.directory(out.resolve("status")))
                .build();
    }

    private String decodedPayload(String jwt) throws IOException {
        String payload = jwt.split("\\.")[1];
        JsonNode json = mapper.readTree(Base64.getUrlDecoder().decode(payload));
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
    }

    private void printTable(List<IssuedCredential> credentials, Map<String, LevelLost> losses, List<IssuedCredential> issuedThisRun,
            Map<String, CredentialStanding> standings) {
        String format = "%-36s  %-10s  %-18s  %-10s  %3s  %-20s  %s%n";
        console.println();
        console.printf(format, "credential", "operator", "framework", "level", "#", "issued", "status");
        console.printf(format, "-".repeat(36), "-".repeat(10), "-".repeat(18), "-".repeat(10), "---", "-".repeat(20), "-".repeat(34));
        for (IssuedCredential c : credentials) {
            LevelLost lost = losses.get(achievementKey(c));
            CredentialStanding standing = standings.get(c.credentialId());
            String status = standing.revoked() ? "revoked" : standing.suspended() ? "suspended (revoked, reason recorded)" : "active";
            if (lost != null) {
                status += " (level lost: " + lost.reason().id() + ")";
            }
            if (issuedThisRun.contains(c)) {
                status += " (new)";
            }
            console.printf(format, c.credentialId(), c.operatorId(), c.framework(), c.level().id(), c.sequence(),
                    c.issuedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), status);
        }
    }
}
