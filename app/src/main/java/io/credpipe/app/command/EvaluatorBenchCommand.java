package io.credpipe.app.command;

import io.credpipe.app.kafka.ScratchKafka;
import io.credpipe.bench.EvaluatorBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credpipe bench evaluator}: the evaluator's throughput against a raw Kafka Streams aggregate of
 * the same events, on an embedded broker of its own in a temporary directory (removed afterwards).
 */
@Command(name = "evaluator", mixinStandardHelpOptions = true,
        description = {"Measure the evaluator against a raw Kafka Streams aggregate of the same events.",
                "It pushes N assessment events through the evaluator and through the raw aggregate (both exactly_once_v2) on a fresh embedded broker.",
                "It writes the events/s of both and their ratio to <output>."})
public class EvaluatorBenchCommand implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N", defaultValue = "1000000",
            description = "Assessment events to push (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "200000",
            description = {"Events each application first runs over, untimed, before any is timed (default: ${DEFAULT-VALUE},"
                    + " at most --events; 0 for none): it compiles the broker's, the clients' and each application's code."})
    long warmUp;

    @Option(names = "--operators", paramLabel = "N", defaultValue = "100000",
            description = "Operators the events are spread over (default: ${DEFAULT-VALUE}).")
    int operators;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Partitions of the assessments topic (default: ${DEFAULT-VALUE}: one stream task each).")
    int partitions;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "bench/results/evaluator.md",
            description = "Where the results are written (default: ${DEFAULT-VALUE}).")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchCommand.quietLogs();
        PrintStream console = System.out;
        try (ScratchKafka kafka = ScratchKafka.start("credpipe-bench-evaluator")) {
            EvaluatorBenchmark.Result result = new EvaluatorBenchmark(new EvaluatorBenchmark.Options(
                    kafka.bootstrapServers(), events, Math.min(warmUp, events), operators, partitions, kafka.workDirectory(), output),
                    console).run();
            spec.commandLine().getOut().printf("evaluator %,.0f events/s, baseline %,.0f events/s: %.0f %%; contract floor %.0f %%"
                    + " (written to %s)%n", result.evaluatorPerSecond(), result.baselinePerSecond(), 100 * result.ratio(),
                    100 * result.floorRatio(), output);
            return 0;
        }
    }

}
