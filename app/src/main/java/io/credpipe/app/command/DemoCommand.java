package io.credpipe.app.command;

import io.credpipe.app.Pipeline;
import io.credpipe.app.demo.Demo;
import io.credpipe.app.net.FreePort;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code credpipe demo}: the whole pipeline on a realistic history, end to end, then stops. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on an embedded Kafka through a realistic history and verify every credential it issues.",
                "It loads the seed frameworks, plays the assessment history of " + Demo.OPERATORS
                        + " operators over HTTP, waits until the pipeline is idle and prints the credentials issued.",
                "It writes them to <out>/credentials/<id>.jwt and .json with the issuer's public keys in <out>/jwks.json, and verifies each.",
                "Running it again in the same directory reuses <data-dir> and issues nothing new."})
public class DemoCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Where credentials and keys are written (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP port of the demo's pipeline (default: ${DEFAULT-VALUE}, or a free port when it is taken).")
    int httpPort;

    @Option(names = "--verbose", description = "Log what every service does (to standard error).")
    boolean verbose;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            // The demo's own output tells the story; per-credential service logs would bury the table.
            Configurator.setLevel("io.credpipe", Level.WARN);
        }
        // A port already in use (a running `credpipe run`, say) must not stop the demo; the public URL
        // a data directory was first issued under is kept either way (see PublicUrlRecord).
        int port = FreePort.isFree(httpPort) ? httpPort : 0;
        Pipeline.Options options = new Pipeline.Options(kafka.cluster(spec), kafka.dataDir, Optional.of(kafka.partitions),
                "127.0.0.1", port, Optional.empty(), "credpipe demo issuer", Optional.empty(),
                EnumSet.allOf(Pipeline.Service.class), null, null, null, null);
        var console = spec.commandLine().getOut();
        console.printf("Starting the pipeline (%s) …%n", kafka.bootstrapServers()
                .map(b -> "Kafka at " + b)
                .orElse("embedded Kafka, data in " + kafka.dataDir.resolve("kafka")));
        try (Pipeline pipeline = Pipeline.start(options)) {
            Demo.Result result = new Demo(pipeline, out, console).run();
            if (!result.ok()) {
                console.println("demo FAILED: see above.");
                return 1;
            }
            return 0;
        }
    }
}
