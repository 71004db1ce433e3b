package io.credpipe.app.command;

import io.credpipe.app.Pipeline;
import io.credpipe.issuer.delivery.WalletSettings;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs services until the process is stopped: all of them ({@code run}) or one ({@code ingest} …). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline (ingest, evaluator, issuer) with every HTTP route on one port.")
public class RunCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka;
    @Mixin HttpOptions http;
    @Mixin SigningOptions signing;

    @Option(names = "--policies", paramLabel = "FILE",
            description = "Level policies per framework (JSON: framework id or \"*\" -> {id, version, thresholdPercent, cumulative, evidenceValidity}).")
    Path policies;
    @Option(names = "--offer-tx-code",
            description = "Make wallet offers (OpenID4VCI) ask for a six-digit transaction code shown on the operator's page.")
    boolean offerTxCode;
    @Spec CommandSpec spec;

    /** The services this command runs. */
    Set<Pipeline.Service> services() {
        return EnumSet.allOf(Pipeline.Service.class);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (services().size() == 1 && kafka.bootstrapServers().isEmpty()) {
            // An embedded broker per service process would give each service a Kafka of its own.
            throw new ParameterException(spec.commandLine(),
                    "--bootstrap-servers is required: a single service joins the cluster the other services use");
        }
        if (!services().contains(Pipeline.Service.ISSUER)) {
            for (String option : new String[] {SigningOptions.ALGORITHM, SigningOptions.TYP}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new ParameterException(spec.commandLine(), option + " configures the issuer, which `credpipe "
                            + spec.name() + "` does not run");
                }
            }
        }
        Pipeline.Options options = new Pipeline.Options(kafka.bootstrapServers(), kafka.dataDir, Optional.of(kafka.partitions),
                http.host, http.port, http.publicUrl(), http.issuerName, Optional.ofNullable(policies), services(),
                signing.algorithm, signing.typ);
        Pipeline pipeline = Pipeline.start(options,
                Pipeline.Wallet.unconnected(WalletSettings.DEFAULTS.withTxCode(offerTxCode)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            stopped.countDown();
        }, "credpipe-shutdown"));
        var out = spec.commandLine().getOut();
        out.printf("credpipe %s running: HTTP %s, Kafka %s%s. Ctrl-C stops.%n",
                services().size() == 3 ? "pipeline" : services().iterator().next().name().toLowerCase(),
                pipeline.httpBase(http.host), pipeline.bootstrapServers(),
                kafka.bootstrapServers().isPresent() ? "" : " (embedded, data in " + kafka.dataDir.resolve("kafka") + ")");
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code credpipe ingest}: only the HR-facing API. */
    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Run only the ingest service (split deployment; needs --bootstrap-servers).")
    public static class Ingest extends RunCommand {
        @Override
        Set<Pipeline.Service> services() {
            return EnumSet.of(Pipeline.Service.INGEST);
        }
    }

    /** {@code credpipe evaluator}: only the level decisions. */
    @Command(name = "evaluator", mixinStandardHelpOptions = true,
            description = "Run only the evaluator (split deployment; needs --bootstrap-servers).")
    public static class Evaluator extends RunCommand {
        @Override
        Set<Pipeline.Service> services() {
            return EnumSet.of(Pipeline.Service.EVALUATOR);
        }
    }

    /** {@code credpipe issuer}: only credential issuance and the public keys. */
    @Command(name = "issuer", mixinStandardHelpOptions = true,
            description = "Run only the issuer (split deployment; needs --bootstrap-servers).")
    public static class Issuer extends RunCommand {
        @Override
        Set<Pipeline.Service> services() {
            return EnumSet.of(Pipeline.Service.ISSUER);
        }
    }
}
