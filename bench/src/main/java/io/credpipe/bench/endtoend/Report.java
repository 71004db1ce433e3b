package io.credpipe.bench.endtoend;

import io.credpipe.bench.ThreadCpu;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What one end-to-end run measured, written as a section of a markdown file (one section per JDK
 * and broker count, so runs on JDK 17 and 25 and the 3-broker variant sit side by side) with two
 * PNG plots beside it: the latency distribution of both phases, and each stage's throughput over time.
 */
public final class Report {

    static final String STAGE_INGEST = "ingest: events accepted (202)";
    static final String STAGE_EVALUATOR = "evaluator: events committed";
    static final String STAGE_ISSUER = "issuer: decisions committed";
    static final String STAGE_CREDENTIALS = "credentials written";

    static final String INGEST = "ingest (HTTP threads, producer, seen-id follower)";
    static final String EVALUATOR = "evaluator (stream, producer, consumer threads)";
    static final String ISSUER = "issuer (stream, global, producer threads)";
    static final String BENCH = "benchmark (clients, credential checks)";
    static final String BROKER = "broker";

    static final List<ThreadCpu.Group> GROUPS = List.of(
            new ThreadCpu.Group(INGEST, n -> n.startsWith("JettyServerThreadPool") || n.contains("credpipe-ingest")),
            new ThreadCpu.Group(EVALUATOR, n -> n.contains("credpipe-evaluator")),
            new ThreadCpu.Group(ISSUER, n -> n.contains("credpipe-issuer")),
            new ThreadCpu.Group(BENCH, n -> n.startsWith("e2e-") || n.startsWith("HttpClient")),
            new ThreadCpu.Group(BROKER, n -> n.startsWith("data-plane") || n.startsWith("kafka-") || n.startsWith("quorum")
                    || n.startsWith("broker") || n.startsWith("controller") || n.startsWith("raft") || n.startsWith("ExpirationReaper")
                    || n.startsWith("LogDirFailureHandler") || n.startsWith("group-coordinator") || n.startsWith("transaction")));

    private final String markdown;
    private final String section;
    private final long[] full;
    private final long[] steady;
    private final Map<String, List<double[]>> rates;
    private final List<String> missing;

    private Report(String section, String markdown, long[] full, long[] steady, Map<String, List<double[]>> rates, List<String> missing) {
        this.section = section;
        this.markdown = markdown;
        this.full = full;
        this.steady = steady;
        this.rates = rates;
        this.missing = List.copyOf(missing);
    }

    /** The section's markdown. */
    public String markdown() {
        return markdown;
    }

    /** Whether every figure the report promises was measured (latencies in both phases, every stage, baselines). */
    public boolean complete() {
        return missing.isEmpty();
    }

    /** The figures this run could not measure, in words; empty for a complete run. */
    public List<String> missing() {
        return missing;
    }

    /** The heading of this run's section, e.g. {@code JDK 17, 1 broker}. */
    public String section() {
        return section;
    }

    /** Writes the section into {@code file} (replacing an earlier one of the same heading) and the plots beside it. */
    public void write(Path file) throws IOException {
        EndToEndBenchmark.createParent(file);
        String slug = section.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        Path dir = file.toAbsolutePath().getParent();
        String base = file.getFileName().toString().replaceFirst("\\.md$", "");
        Path latencyPng = dir.resolve(base + "-" + slug + "-latency.png");
        Path throughputPng = dir.resolve(base + "-" + slug + "-throughput.png");
        latencyPlot().ifPresent(chart -> save(chart, latencyPng));
        save(throughputPlot(), throughputPng);
        String text = "## " + section + "\n\n" + markdown
                + "\n![latency distribution](" + latencyPng.getFileName() + ")\n\n![throughput over time](" + throughputPng.getFileName() + ")\n";
        List<String> kept = new ArrayList<>();
        String intro = INTRO;
        if (Files.exists(file)) {
            String existing = Files.readString(file);
            int start = existing.indexOf("\n## ");
            if (start >= 0) {
                intro = existing.substring(0, start + 1);
                Stream.of(existing.substring(start + 1).split("\n(?=## )"))
                        .filter(old -> !old.startsWith("## " + section + "\n"))
                        .forEach(old -> kept.add(old.strip() + "\n"));
            }
        }
        kept.add(text);
        kept.sort(Comparator.naturalOrder());
        Files.writeString(file, intro.strip() + "\n\n" + String.join("\n", kept));
    }

    private static final String INTRO = """
            # End-to-end benchmark

            `credpipe bench end-to-end`: assessment events posted over HTTP as HR systems send them (NDJSON
            batches, several clients) through ingest, evaluator and issuer, to signed credentials readable at
            `GET /v1/credentials/{id}`. One section per JDK and broker count; each names its machine load.
            """;

    private static void save(XYChart chart, Path png) {
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private java.util.Optional<XYChart> latencyPlot() {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Latency from 202 to credential readable")
                .xAxisTitle("percentile").yAxisTitle("latency (ms)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        boolean any = false;
        for (var phase : Map.of(EndToEndBenchmark.FULL, full, EndToEndBenchmark.STEADY, steady).entrySet()) {
            long[] sorted = phase.getValue();
            if (sorted.length == 0) {
                continue;
            }
            int points = Math.min(sorted.length, 1_000);
            double[] x = new double[points];
            double[] y = new double[points];
            for (int i = 0; i < points; i++) {
                int at = (int) ((long) i * (sorted.length - 1) / Math.max(1, points - 1));
                x[i] = 100.0 * (at + 1) / sorted.length;
                y[i] = Math.max(1, sorted[at]);
            }
            chart.addSeries(phase.getKey(), x, y).setMarker(SeriesMarkers.NONE);
            any = true;
        }
        return any ? java.util.Optional.of(chart) : java.util.Optional.empty();
    }

    private XYChart throughputPlot() {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Throughput per stage")
                .xAxisTitle("seconds since start").yAxisTitle("per second").build();
        for (var stage : rates.entrySet()) {
            if (stage.getValue().isEmpty()) {
                continue;
            }
            double[] x = stage.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = stage.getValue().stream().mapToDouble(p -> p[1]).toArray();
            chart.addSeries(stage.getKey(), x, y).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Peak resident set size of this process (Linux {@code VmHWM}), or -1 where it cannot be read. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Collects the figures as the run produces them. */
    static final class Builder {
        private final EndToEndBenchmark.Options options;
        private final int eventsPerOperator;
        private final int credentialsPerOperator;
        private Duration sending;
        private Duration fullTime;
        private long fullCredentials;
        private Map<String, Long> cpu = Map.of();
        private long processCpu;
        private Map<String, Long> nativeCpu = Map.of();
        private long steadyEvents;
        private Duration steadyTime;
        private long steadyCredentials;
        private long peakHeap;
        private long peakRss;
        private double producer;
        private double signing;
        private double aggregate;
        private String hops = "";
        private int hopsComplete;

        Builder(EndToEndBenchmark.Options options, int eventsPerOperator, int credentialsPerOperator) {
            this.options = options;
            this.eventsPerOperator = eventsPerOperator;
            this.credentialsPerOperator = credentialsPerOperator;
        }

        void fullLoad(Duration sending, Duration total, long credentials, Map<String, Long> cpu, long processCpu,
                Map<String, Long> nativeCpu) {
            this.nativeCpu = nativeCpu;
            this.sending = sending;
            this.fullTime = total;
            this.fullCredentials = credentials;
            this.cpu = cpu;
            this.processCpu = processCpu;
        }

        void steady(long events, Duration time, long credentials) {
            this.steadyEvents = events;
            this.steadyTime = time;
            this.steadyCredentials = credentials;
        }

        void memory(long peakHeap, long peakRss) {
            this.peakHeap = peakHeap;
            this.peakRss = peakRss;
        }

        void hops(String markdown, int complete) {
            this.hops = markdown;
            this.hopsComplete = complete;
        }

        void baselines(double producer, double signing, double aggregate) {
            this.producer = producer;
            this.signing = signing;
            this.aggregate = aggregate;
        }

        Report build(Map<String, Latencies> latencies, Timeline timeline, long skipped, double loadBefore, double loadAfter) {
            long[] full = latencies.get(EndToEndBenchmark.FULL).sorted();
            long[] steady = latencies.get(EndToEndBenchmark.STEADY).sorted();
            long events = options.events();
            double seconds = fullTime.toNanos() / 1e9;
            double eventsPerSecond = events / seconds;
            double credentialsPerSecond = fullCredentials / seconds;
            int cores = Runtime.getRuntime().availableProcessors();
            // CPU per event of each stage; the issuer's per credential, carried per event by credentials per event.
            double ingest = micros(cpu.get(INGEST)) / events;
            double evaluator = micros(cpu.get(EVALUATOR)) / events;
            double issuerPerCredential = micros(cpu.get(ISSUER)) / Math.max(1, fullCredentials);
            double broker = micros(cpu.get(BROKER)) / events;
            double benchmark = micros(cpu.get(BENCH)) / events;
            long groups = cpu.values().stream().mapToLong(Long::longValue).sum();
            double unattributed = micros(Math.max(0, processCpu - groups) + cpu.getOrDefault(ThreadCpu.OTHER, 0L)) / events;
            double perEvent = ingest + evaluator + broker + issuerPerCredential * fullCredentials / events + unattributed;
            double bound = cores * 1e6 / perEvent;
            String section = "JDK " + Runtime.version().feature() + ", " + options.brokers() + (options.brokers() == 1 ? " broker" : " brokers");
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, """
                    - Measured %s: %s %s, %d processors, `-Xmx` %s; system load average %.1f before, %.1f after \
                    (above %d means other processes shared the machine: read the CPU figures, which sharing disturbs least)
                    - %,d events for %,d operators (%d each, alternating the two seed frameworks level by level; %d \
                    credential(s) per operator), %d HTTP clients, NDJSON batches of %,d; %d broker(s)%s
                    - Steady phase: %,d events/s for %d s (%,d events, fresh operators)
                    - Stages' `commit.interval.ms`: %s

                    | full load | |
                    |---|---:|
                    | events/s, first event sent to last credential written | %,.0f |
                    | credentials/s | %,.0f |
                    | time to send all events (ingest's 202s) | %.1f s |
                    | time to the last credential | %.1f s |

                    | latency, 202 → `GET /v1/credentials/{id}` answers 200 | samples | p50 | p99 | p99.9 | max |
                    |---|---:|---:|---:|---:|---:|
                    | full load (every %d-th credential) | %,d | %d ms | %d ms | %d ms | %d ms |
                    | steady %,d events/s (every credential) | %,d | %d ms | %d ms | %d ms | %d ms |

                    Checks skipped (over a bounded queue, or a 202 never matched): %,d. Steady phase: %,d credentials \
                    in %.1f s from the first event sent to the last credential written.

                    %s
                    | memory | |
                    |---|---:|
                    | peak heap (sum of the heap pools' peaks: an upper bound) | %,d MiB |
                    | peak resident set (VmHWM, broker included) | %,d MiB |

                    CPU at full load, per event and per credential, by thread group (ThreadMXBean; GC, JIT and \
                    native threads are the process's CPU no thread group holds):

                    | threads | µs CPU per event | µs CPU per credential |
                    |---|---:|---:|
                    """,
                    Instant.now(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), cores,
                    maxHeap(), loadBefore, loadAfter, cores,
                    events, options.operators(), eventsPerOperator, credentialsPerOperator, options.clients(), options.batchSize(),
                    options.brokers(), options.brokers() >= 3 ? " (replication factor 3, `min.insync.replicas` 2)"
                            : options.brokers() == 2 ? " (replication factor 2, `min.insync.replicas` 1)" : "",
                    options.steadyRate(), options.steadyDuration().toSeconds(), steadyEvents,
                    options.commitInterval().map(d -> d.toMillis() + " ms for both (`--commit-interval-ms`)")
                            .orElse("their own (evaluator " + io.credpipe.evaluator.EvaluatorService.COMMIT_INTERVAL.toMillis()
                                    + " ms, issuer " + io.credpipe.issuer.stream.IssuerStreams.COMMIT_INTERVAL.toMillis() + " ms)"),
                    eventsPerSecond, credentialsPerSecond, sending.toNanos() / 1e9, seconds,
                    options.sampleEvery(), full.length, Latencies.percentile(full, 50), Latencies.percentile(full, 99),
                    Latencies.percentile(full, 99.9), Latencies.percentile(full, 100),
                    options.steadyRate(), steady.length, Latencies.percentile(steady, 50), Latencies.percentile(steady, 99),
                    Latencies.percentile(steady, 99.9), Latencies.percentile(steady, 100),
                    skipped, steadyCredentials, steadyTime.toNanos() / 1e9, hops,
                    peakHeap / (1 << 20), peakRss / (1 << 20)));
            for (var group : cpu.entrySet()) {
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f |%n", group.getKey(), micros(group.getValue()) / events,
                        micros(group.getValue()) / Math.max(1, fullCredentials)));
            }
            md.append(String.format(Locale.ROOT, "| GC, JIT, native (process CPU outside the groups) | %.1f | %.0f |%n",
                    micros(Math.max(0, processCpu - groups)) / events, micros(Math.max(0, processCpu - groups)) / Math.max(1, fullCredentials)));
            // Linux's per-thread counters split that line (NativeThreadCpu); whatever is left is the
            // JVM's other threads and native code outside these names.
            for (var group : nativeCpu.entrySet()) {
                md.append(String.format(Locale.ROOT, "| … of which %s (`/proc`) | %.1f | %.0f |%n", group.getKey(),
                        micros(group.getValue()) / events, micros(group.getValue()) / Math.max(1, fullCredentials)));
            }
            md.append(String.format(Locale.ROOT, "| whole process | %.1f | %.0f |%n%n", micros(processCpu) / events,
                    micros(processCpu) / Math.max(1, fullCredentials)));
            md.append(String.format(Locale.ROOT, """
                    **Bound from the stages' CPU costs:** ingest %.1f + evaluator %.1f + broker %.1f + issuer %.0f µs per \
                    credential × %.3f credentials per event + unattributed %.1f = %.1f µs of CPU per event, so %d cores \
                    allow at most **%,.0f events/s**; this run reached **%,.0f events/s, %.0f %% of that bound** \
                    (the benchmark's own clients and checks, %.1f µs per event, are left out of the bound).

                    | raw baselines, same run and machine | per second |
                    |---|---:|
                    | idempotent producer (`acks=all`, ingest's settings), the same NDJSON lines, one thread | %s |
                    | Nimbus ES256 signing (`JWSObject`), a 19 KB payload, one thread | %s |
                    | Kafka Streams EOS aggregate (per operator, small JSON state; `credpipe bench evaluator`'s baseline) over the run's events | %s |
                    """,
                    ingest, evaluator, broker, issuerPerCredential, (double) fullCredentials / events, unattributed, perEvent,
                    cores, bound, eventsPerSecond, 100 * eventsPerSecond / bound, benchmark, rate(producer, "events"), rate(signing, "signatures"),
                    rate(aggregate, "events")));
            List<String> missing = new ArrayList<>();
            missingIf(missing, fullCredentials == 0 || full.length == 0, "full-load credentials or their latencies");
            missingIf(missing, steadyCredentials == 0 || steady.length == 0, "steady-phase credentials or their latencies");
            missingIf(missing, hopsComplete == 0, "a steady-phase credential with every hop seen");
            missingIf(missing, timeline.rates().size() != 4, "a throughput timeline of all four stages (sampled: "
                    + timeline.rates().keySet() + ")");
            missingIf(missing, producer <= 0, "the idempotent producer baseline");
            missingIf(missing, signing <= 0, "the Nimbus signing baseline");
            missingIf(missing, aggregate <= 0, "the Streams aggregate baseline");
            missingIf(missing, cpu.getOrDefault(EVALUATOR, 0L) == 0 || cpu.getOrDefault(ISSUER, 0L) == 0, "the evaluator's and issuer's CPU");
            if (!missing.isEmpty()) {
                md.append("\n**Incomplete run**, missing: ").append(String.join("; ", missing)).append(".\n");
            }
            return new Report(section, md.toString(), full, steady, timeline.rates(), missing);
        }

        private static void missingIf(List<String> missing, boolean absent, String figure) {
            if (absent) {
                missing.add(figure);
            }
        }

        private static String rate(double perSecond, String unit) {
            return perSecond < 0 ? "failed (see the run's log)" : String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
        }

        private static double micros(Long nanos) {
            return nanos == null ? 0 : nanos / 1e3;
        }

        private static String maxHeap() {
            long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            return max < 0 ? "unbounded" : (max / (1 << 20)) + " MiB";
        }
    }
}
