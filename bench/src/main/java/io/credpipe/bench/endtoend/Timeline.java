package io.credpipe.bench.endtoend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of each stage over time: one sample per second of a cumulative count per stage
 * (events accepted by ingest, events the evaluator committed, achievements the issuer committed,
 * credentials written), turned into rates per second.
 */
final class Timeline {

    /**
     * One second's cumulative counts.
     *
     * @param second seconds since the run started
     * @param counts per stage, cumulative
     * @param heapBytes heap in use at that second
     */
    record Sample(double second, Map<String, Long> counts, long heapBytes) {}

    private final List<Sample> samples = new ArrayList<>();

    synchronized void add(Sample sample) {
        samples.add(sample);
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Per stage, the rate over each interval between samples (per second), at the interval's end. */
    synchronized Map<String, List<double[]>> rates() {
        Map<String, List<double[]>> rates = new LinkedHashMap<>();
        for (int i = 1; i < samples.size(); i++) {
            Sample before = samples.get(i - 1);
            Sample after = samples.get(i);
            double seconds = after.second() - before.second();
            for (var stage : after.counts().entrySet()) {
                long delta = stage.getValue() - before.counts().getOrDefault(stage.getKey(), 0L);
                rates.computeIfAbsent(stage.getKey(), k -> new ArrayList<>()).add(new double[] {after.second(), delta / seconds});
            }
        }
        return rates;
    }
}
