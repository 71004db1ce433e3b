package io.credpipe.app.command;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;

/** {@code credpipe bench …}: throughput benchmarks, each against a raw baseline, written to bench/results/. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark on an embedded broker and write its result under bench/results/.",
        subcommands = {EvaluatorBenchCommand.class, IngestBenchCommand.class, IssuerBenchCommand.class, SigningBenchCommand.class,
                VerifierBenchCommand.class, EndToEndBenchCommand.class})
public class BenchCommand {

    /** Broker and Streams logs at INFO would dwarf a benchmark's own lines. */
    static void quietLogs() {
        Configurator.setLevel("org.apache.kafka", Level.WARN);
        Configurator.setLevel("kafka", Level.WARN);
        Configurator.setLevel("io.credpipe", Level.WARN);
    }
}
