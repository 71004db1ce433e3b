package io.credpipe.app.command;

import io.credpipe.app.Pipeline;
import io.credpipe.issuer.delivery.LinkValidity;
import io.credpipe.issuer.mail.SmtpSettings;
import io.credpipe.issuer.delivery.WalletSettings;
import java.nio.file.Path;
import java.time.Duration;
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

    @Option(names = "--link-validity", paramLabel = "DURATION",
            description = "How long operators' private page links stay open unless asked otherwise, as an ISO 8601 duration (default: P30D, at most P365D).")
    Duration linkValidity;

    @Option(names = "--smtp-url", paramLabel = "URL",
            description = "E-mail operators their page link when a credential of theirs is issued or revoked, through smtp://[user@]host[:port] (STARTTLS when offered) or smtps://[user@]host[:port].")
    String smtpUrl;

    @Option(names = "--smtp-password-file", paramLabel = "FILE",
            description = "The SMTP password, read from FILE. Without it, from the environment variable CREDPIPE_SMTP_PASSWORD; never from the command line.")
    Path smtpPasswordFile;

    @Option(names = "--smtp-from", paramLabel = "ADDRESS",
            description = "The sender of operators' e-mails (default: credentials@ and the public URL's host).")
    String smtpFrom;

    @Option(names = "--policies", paramLabel = "FILE",
            description = "Level policies per framework (JSON: framework id or \"*\" -> {id, version, thresholdPercent, cumulative, evidenceValidity}).")
    Path policies;
    @Option(names = "--instance-id", paramLabel = "NAME",
            description = "A stable name of this instance, unique among the instances of each service (e.g. its StatefulSet pod name);"
                    + " with --bootstrap-servers its stream threads join their groups as static members, so a restart after a"
                    + " crash takes its partitions back at once instead of after the 45 s session timeout.")
    String instanceId;
    @Option(names = "--offer-tx-code",
            description = "Make wallet offers (OpenID4VCI) ask for a six-digit transaction code shown on the operator's page.")
    boolean offerTxCode;
    @Spec CommandSpec spec;

    /** The services this command runs. */
    Set<Pipeline.Service> services() {
        return EnumSet.allOf(Pipeline.Service.class);
    }

    /** The SMTP settings of {@code --smtp-url}, or null without it. */
    private SmtpSettings smtp() {
        if (smtpUrl == null) {
            if (smtpPasswordFile != null || smtpFrom != null) {
                throw new ParameterException(spec.commandLine(), "--smtp-password-file and --smtp-from need --smtp-url");
            }
            return null;
        }
        if (!services().contains(Pipeline.Service.ISSUER)) {
            throw new ParameterException(spec.commandLine(), "--smtp-url configures the issuer, which `credpipe "
                    + spec.name() + "` does not run");
        }
        String from = smtpFrom;
        if (from == null) {
            String host = java.net.URI.create(http.publicUrl().orElse("http://" + http.host)).getHost();
            from = "credentials@" + (host == null || !host.contains(".") ? "localhost.localdomain" : host);
        }
        try {
            return SmtpSettings.parse(smtpUrl, smtpPasswordFile, System.getenv(), from);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--smtp-url: " + e.getMessage());
        }
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
        if (instanceId != null && !Pipeline.Options.INSTANCE_ID.matcher(instanceId).matches()) {
            throw new ParameterException(spec.commandLine(), "--instance-id is 1 to 100 letters, digits, '.', '_' or '-'");
        }
        if (instanceId != null && kafka.bootstrapServers().isEmpty()) {
            // The embedded mode's members are static already, under a fixed name.
            throw new ParameterException(spec.commandLine(), "--instance-id needs --bootstrap-servers");
        }
        Pipeline.Options options = new Pipeline.Options(kafka.cluster(spec), kafka.dataDir, Optional.of(kafka.partitions),
                http.host, http.port, http.publicUrl(), http.issuerName, Optional.ofNullable(policies), services(),
                signing.algorithm, signing.typ, linkValidity == null ? null : new LinkValidity(linkValidity), smtp(), instanceId,
                http.trustedProxies(spec));
        Pipeline pipeline = Pipeline.start(options,
                Pipeline.Wallet.of(WalletSettings.DEFAULTS.withTxCode(offerTxCode)));
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
