package io.credpipe.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.credpipe.model.credential.IssuedCredential;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credpipe run} (embedded broker, from the shaded jar) on a data directory that cannot be
 * written, and on a disk that fills while it runs.
 *
 * <p>Tests may run as root, where permission bits stop no write. So the unwritable directory is a
 * read-only bind mount and the small disk a 256 MiB tmpfs, each in a private mount namespace
 * ({@code unshare -m}) that the credpipe processes join with {@code nsenter}: real
 * {@code EROFS}/{@code ENOSPC} from a real file system, invisible to the rest of the machine and
 * gone with the namespace. Where mount namespaces cannot be made (no {@code CAP_SYS_ADMIN}) those
 * tests are skipped; the directory under a regular file needs no mount and always runs.
 */
class DiskFaultIT {

    private static final Path JAR = Path.of("target", "credpipe.jar");
    private static final int OPERATORS = Integer.getInteger("credpipe.faults.disk.operators", 40);
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** Ingest's acknowledgement timeout (10 s) plus room for a loaded machine. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(25);
    private static final Pattern KEY = Pattern.compile("cpk_[A-Za-z0-9_-]+");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run's logs stay for inspection
    Path dir;

    @Test
    void aDataDirectoryUnderARegularFileIsRefusedInOneLine() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        Path data = dir.resolve("file").resolve("data");

        Finished run = run(List.of(), data, freePort());

        assertRefusedInOneLine(run, data.toString(), "Not a directory");
    }

    @Test
    void aReadOnlyDataDirectoryIsRefusedInOneLineAndLeftAsItWas() throws Exception {
        // Owner-only already, so that the start gets past tightening it and meets the write check.
        Path data = Files.createDirectory(dir.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // A data directory as a previous run leaves it (formatted broker log, keys, Streams state),
        // then made read-only: the case a remount or a full-disk protection produces.
        Files.createDirectories(data.resolve("kafka"));
        Files.writeString(data.resolve("kafka").resolve("meta.properties"), "version=1\n");
        Files.createDirectories(data.resolve("keys"));
        Files.createDirectories(data.resolve("streams"));
        List<String> before = listing(data);
        try (MountNamespace ns = MountNamespace.create("mount --bind -o ro " + data + " " + data)) {
            Finished run = run(ns.enter(), data, freePort());

            assertRefusedInOneLine(run, data.toString(), "Read-only file system");
        }
        assertThat(listing(data)).as("no file left behind").isEqualTo(before);
    }

    @Test
    void aDiskThatFillsWhileRunningIsNotLiveAnd503sThenARestartWithSpaceLosesNothing() throws Exception {
        assertThat(JAR).as("mvn package builds the shaded jar before the integration tests").exists();
        Path mount = Files.createDirectories(dir.resolve("disk"));
        Path data = mount.resolve("data");
        Path filler = mount.resolve("filler");
        List<String> report = new ArrayList<>();
        try (MountNamespace ns = MountNamespace.create("mount -t tmpfs -o size=256m tmpfs " + mount)) {
            String key = createKey(ns, data);
            int port = freePort();
            List<String> batches = ClusterFaultIT.batches(OPERATORS);
            Node node = Node.start(ns, data, port, dir.resolve("run-0.log"));
            try {
                int next = 0;
                for (; next < batches.size() / 4; next++) {
                    assertThat(post(port, key, batches.get(next)).statusCode()).isEqualTo(202);
                }
                ns.run("dd if=/dev/zero of=" + filler + " bs=1M", true);
                report.add("disk: tmpfs 256 MiB filled by another writer after " + next + " of " + batches.size() + " batches");

                // Appends into a partly written page may still fit; the first that does not fails the log dir.
                int refusedAt = -1;
                for (int attempt = 0; next < batches.size() && refusedAt < 0; attempt++, next++) {
                    long asked = System.nanoTime();
                    HttpResponse<String> answer = post(port, key, batches.get(next));
                    double took = (System.nanoTime() - asked) / 1e9;
                    assertThat(answer.statusCode()).as(answer.body()).isIn(202, 503);
                    assertThat(took).as("seconds to answer on a full disk").isLessThan(ANSWER_BOUND.toSeconds());
                    if (answer.statusCode() == 503) {
                        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                                type -> assertThat(type).startsWith("application/problem+json"));
                        refusedAt = next;
                        report.add(String.format("disk full: ingest answered 503 with Retry-After %s in %.1f s (attempt %d)",
                                answer.headers().firstValue("Retry-After").orElseThrow(), took, attempt + 1));
                    }
                }
                assertThat(refusedAt).as("a write failed on the full disk").isNotNegative();

                long full = System.nanoTime();
                HttpResponse<String> live = awaitStatus(port, "/health/live", 503);
                assertThat(live.body()).contains("\"kafka\":\"down\"");
                assertThat(get(port, "/health/ready").statusCode()).isEqualTo(503);
                report.add(String.format("/health/live 503 (%s) %.1f s after the refused write", live.body(), (System.nanoTime() - full) / 1e9));
                assertThat(node.log()).as("one clear line names the failure")
                        .contains("embedded Kafka broker failed: Kafka broker halted with status 1");

                // What an orchestrator does on failed liveness; a clean stop of a failed broker is not waited for either.
                node.kill();
                ns.run("rm " + filler, false);
                long restarted = System.nanoTime();
                node = Node.start(ns, data, port, dir.resolve("run-1.log"));
                report.add(String.format("space returned; restart to /health/ready %.1f s", (System.nanoTime() - restarted) / 1e9));

                int accepted = 0;
                int duplicate = 0;
                for (int b = refusedAt; b < batches.size(); b++) {
                    HttpResponse<String> answer = sendUntilTaken(port, key, batches.get(b));
                    accepted += count(answer.body(), "accepted");
                    duplicate += count(answer.body(), "duplicate");
                }
                Map<String, List<IssuedCredential>> credentials = ClusterFaultIT.assertOneCredentialPerOperator(node.bootstrap(), OPERATORS);
                report.add(String.format("resent from the refused batch on: %d accepted, %d duplicate; %d operators, "
                        + "credentials expected %d, issued %d, duplicates 0", accepted, duplicate, OPERATORS, OPERATORS,
                        credentials.size()));
            } finally {
                node.kill();
                Path results = Path.of("target", "fault-results");
                Files.createDirectories(results);
                Files.write(results.resolve("disk-fault.txt"), report);
                report.forEach(System.out::println);
            }
        }
    }

    private static void assertRefusedInOneLine(Finished run, String path, String reason) {
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        List<String> lines = run.output().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as(run.output()).hasSize(1);
        assertThat(lines.get(0)).startsWith("credpipe run: ").contains(path).contains(reason);
        assertThat(run.seconds()).as("seconds to the refusal").isLessThan(30);
    }

    private record Finished(int exitCode, String output, double seconds) {}

    private Finished run(List<String> prefix, Path data, int port) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java(), "-jar", JAR.toAbsolutePath().toString(), "run", "--data-dir", data.toString(),
                "--http-port", Integer.toString(port)));
        Path out = Files.createTempFile(dir, "run", ".log");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("credpipe run did not exit within 90 s:\n" + Files.readString(out));
        }
        return new Finished(process.exitValue(), Files.readString(out), (System.nanoTime() - started) / 1e9);
    }

    private static String createKey(MountNamespace ns, Path data) throws Exception {
        String output = ns.run(java() + " -jar " + JAR.toAbsolutePath() + " sources create hr1 --data-dir " + data, false);
        Matcher key = KEY.matcher(output);
        assertThat(key.find()).as(output).isTrue();
        return key.group();
    }

    private static HttpResponse<String> sendUntilTaken(int port, String key, String batch) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> answer = post(port, key, batch);
            if (answer.statusCode() == 202) {
                assertThat(count(answer.body(), "rejected")).as(answer.body()).isZero();
                return answer;
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(System.nanoTime()).as("batch taken within %s", PATIENCE).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static int count(String body, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static HttpResponse<String> post(int port, String key, String batch) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/assessments"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(batch)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitStatus(int port, String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> answer = get(port, path);
            if (answer.statusCode() == status) {
                return answer;
            }
            assertThat(System.nanoTime()).as("%s answers %d within 60 s; last %s", path, status, answer.body()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize).map(Path::toString).sorted().toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A private mount namespace held open by a sleeping process: mounts made in it are seen only
     * by processes that join it, and vanish with it.
     */
    private record MountNamespace(Process holder) implements AutoCloseable {

        static MountNamespace create(String setup) throws Exception {
            assumeTrue(succeeds(List.of("unshare", "-m", "--propagation", "private", "true")),
                    "mount namespaces need CAP_SYS_ADMIN (root or unshare -m); not available here");
            Process holder = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
                    setup + " && echo mounted && exec sleep 3600").redirectErrorStream(true).start();
            String first = new String(holder.getInputStream().readNBytes("mounted\n".length()), StandardCharsets.UTF_8);
            assumeTrue(first.equals("mounted\n"), "cannot mount in a namespace: " + first);
            return new MountNamespace(holder);
        }

        /** The command prefix that runs a program in this namespace. */
        List<String> enter() {
            return List.of("nsenter", "-t", Long.toString(holder.pid()), "-m", "--");
        }

        String run(String command, boolean mayFail) throws Exception {
            List<String> full = new ArrayList<>(enter());
            full.addAll(List.of("sh", "-c", command));
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            if (!mayFail) {
                assertThat(process.exitValue()).as(command + ": " + output).isZero();
            }
            return output;
        }

        private static boolean succeeds(List<String> command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One {@code credpipe run} process inside the namespace. */
    private record Node(Process process, Path logFile, String bootstrap) {

        static Node start(MountNamespace ns, Path data, int port, Path log) throws Exception {
            List<String> command = new ArrayList<>(ns.enter());
            command.addAll(List.of(java(), "-jar", JAR.toAbsolutePath().toString(), "run", "--data-dir", data.toString(),
                    "--http-port", Integer.toString(port)));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Node(process, log, NodeReadiness.awaitReady(process, log, port, PATIENCE));
        }

        String log() {
            return read(logFile);
        }

        /** SIGKILL; nsenter execs the JVM, so this is the JVM's own process. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        private static String read(Path log) {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "cannot read " + log;
            }
        }
    }
}
