package io.credpipe.bench.endtoend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the steady phase's latency goes: for each level an event completes, the moment (this JVM's
 * {@code System.nanoTime}) each hop of the pipeline made it visible, as the harness saw it.
 *
 * <ol>
 *   <li>{@link Hop#SENT}: the client sent the batch holding the event;</li>
 *   <li>{@link Hop#ACCEPTED}: the client read ingest's 202 (the latency's start);</li>
 *   <li>{@link Hop#DECIDED}: the evaluator's {@code LevelAchieved} was readable on
 *       {@code achievements} by a {@code read_committed} consumer, i.e. its transaction committed;</li>
 *   <li>{@link Hop#SIGNED}: the issuer's credential was readable on {@code credentials} by a
 *       {@code read_committed} consumer;</li>
 *   <li>{@link Hop#READABLE}: {@code GET /v1/credentials/{id}} answered 200 (the latency's end).</li>
 * </ol>
 *
 * <p>Each stage's hop includes its consumer's fetch, its processing and the wait for its transaction
 * to commit. The harness's consumers long-poll (a fetch returns as soon as a record is readable),
 * so they add a fetch round trip, not a polling interval. Record timestamps cannot do this: Kafka
 * Streams gives an output record its input's timestamp, so every hop's record carries the event's
 * ingest time; and a credential's {@code issuedAt} is in whole seconds.
 */
final class Hops {

    /** The hops, in pipeline order. */
    enum Hop { SENT, ACCEPTED, DECIDED, SIGNED, READABLE }

    private final Map<String, long[]> byLevel = new ConcurrentHashMap<>();

    /** Records that {@code level} passed {@code hop} at {@code nanos}; the first time counts. */
    void mark(String level, Hop hop, long nanos) {
        byLevel.compute(level, (key, times) -> {
            long[] t = times == null ? new long[Hop.values().length] : times;
            if (t[hop.ordinal()] == 0) {
                t[hop.ordinal()] = nanos;
            }
            return t;
        });
    }

    /** The levels with every hop recorded. */
    int complete() {
        return (int) byLevel.values().stream().filter(Hops::hasAll).count();
    }

    /** The breakdown as a markdown table: one row per hop, percentiles over the levels that passed every hop. */
    String markdown() {
        List<long[]> all = new ArrayList<>();
        byLevel.values().forEach(t -> {
            if (hasAll(t)) {
                all.add(t.clone());
            }
        });
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                Where the steady phase's latency goes (%,d credentials with every hop seen; percentiles of \
                each hop on its own, so they do not add up to the total's):

                | hop | p50 | p90 | p99 | max |
                |---|---:|---:|---:|---:|
                """, all.size()));
        row(md, "ingest: batch sent → 202 (before the latency's start)", all, Hop.SENT, Hop.ACCEPTED);
        row(md, "evaluator: 202 → decision readable on `achievements` (fetch, decide, commit)", all, Hop.ACCEPTED, Hop.DECIDED);
        row(md, "issuer: decision readable → credential readable on `credentials` (fetch, sign, commit)", all, Hop.DECIDED, Hop.SIGNED);
        row(md, "credential store: credential on `credentials` → `GET /v1/credentials/{id}` 200", all, Hop.SIGNED, Hop.READABLE);
        row(md, "**total: 202 → `GET /v1/credentials/{id}` 200**", all, Hop.ACCEPTED, Hop.READABLE);
        return md.toString();
    }

    private static void row(StringBuilder md, String name, List<long[]> all, Hop from, Hop to) {
        long[] micros = all.stream().mapToLong(t -> Math.max(0, t[to.ordinal()] - t[from.ordinal()]) / 1_000).toArray();
        Arrays.sort(micros);
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name, ms(micros, 50), ms(micros, 90),
                ms(micros, 99), ms(micros, 100)));
    }

    private static String ms(long[] sortedMicros, double p) {
        long micros = Latencies.percentile(sortedMicros, p);
        return micros < 0 ? "–" : String.format(Locale.ROOT, "%.1f ms", micros / 1e3);
    }

    private static boolean hasAll(long[] t) {
        for (long v : t) {
            if (v == 0) {
                return false;
            }
        }
        return true;
    }
}
