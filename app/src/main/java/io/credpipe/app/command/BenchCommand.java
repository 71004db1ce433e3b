package io.credpipe.app.command;

import picocli.CommandLine.Command;

/** {@code credpipe bench …}: throughput benchmarks, each against a raw-Kafka baseline, written to bench/results/. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark on an embedded broker and write its result under bench/results/.",
        subcommands = {EvaluatorBenchCommand.class, IngestBenchCommand.class, IssuerBenchCommand.class})
public class BenchCommand {}
