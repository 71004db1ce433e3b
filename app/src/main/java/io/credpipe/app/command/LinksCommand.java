package io.credpipe.app.command;

import io.credpipe.app.PublicUrlRecord;
import io.credpipe.app.kafka.EmbeddedBrokerAddress;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.issuer.delivery.LinkValidity;
import io.credpipe.issuer.stream.OperatorLinkTopic;
import io.credpipe.topics.client.KafkaClientSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code credpipe links}: operators' private page links, written to the {@code operator-links}
 * topic of a running pipeline as {@code POST /v1/operators/{id}/access-links} does.
 */
@Command(name = "links", mixinStandardHelpOptions = true,
        description = "Create and revoke operators' private links to their credentials page.",
        subcommands = {LinksCommand.Create.class, LinksCommand.Revoke.class})
public class LinksCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the pipeline is. */
    static class Target {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
                description = "The data directory of the pipeline (default: ${DEFAULT-VALUE}); its public URL is read from it.")
        Path dataDir;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
                description = "The pipeline's Kafka cluster. Without it, the embedded broker of the `credpipe run` on --data-dir.")
        String bootstrapServers;

        @Option(names = KafkaOptions.KAFKA_CONFIG, paramLabel = "FILE",
                description = "Client settings for the --bootstrap-servers cluster (TLS, SASL …) as a Java properties file, as `credpipe run` takes them.")
        Path kafkaConfig;

        @Option(names = "--public-url", paramLabel = "URL",
                description = "The issuer's public base URL (default: the one recorded in --data-dir).")
        String publicUrl;

        KafkaClientSettings kafka(CommandSpec spec) {
            if (bootstrapServers != null && !bootstrapServers.isBlank()) {
                return KafkaOptions.settings(spec, bootstrapServers, kafkaConfig);
            }
            if (kafkaConfig != null) {
                throw new ParameterException(spec.commandLine(), KafkaOptions.KAFKA_CONFIG + " needs --bootstrap-servers");
            }
            return EmbeddedBrokerAddress.of(dataDir).map(KafkaClientSettings::plaintext).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "no credpipe runs on " + dataDir + " with an embedded broker: start `credpipe run` or give --bootstrap-servers"));
        }

        String publicBase(CommandSpec spec) {
            if (publicUrl != null) {
                return publicUrl.replaceAll("/+$", "");
            }
            return PublicUrlRecord.recorded(dataDir).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "no public URL is recorded in " + dataDir + ": give --public-url"));
        }
    }

    /** {@code credpipe links create OPERATOR [--valid-for P7D]}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a private link to an operator's page and print it once; only its hash is kept.")
    static class Create implements Callable<Integer> {
        @Mixin Target target;

        @Parameters(paramLabel = "OPERATOR", description = "The operator's id, as HR systems send it.")
        String operatorId;

        @Option(names = "--valid-for", paramLabel = "DURATION",
                description = "How long the link opens the page, as an ISO 8601 duration such as P7D (default: P30D, at most P365D).")
        Duration validFor;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (OperatorLinkTopic topic = new OperatorLinkTopic(target.kafka(spec), "credpipe-links-cli")) {
                topic.start();
                AccessLinks links = new AccessLinks(topic, LinkValidity.defaults(), new SecureRandom(), Clock.systemUTC(),
                        target.publicBase(spec));
                AccessLinks.Created created = links.create(operatorId, "cli", validFor);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("Link to the page of operator %s, open until %s (id %s). It is shown only this once:%n%n  %s%n",
                        operatorId, created.link().expiresAt(), created.link().tokenHash(), created.url());
                out.flush();
            }
            return 0;
        }
    }

    /** {@code credpipe links revoke OPERATOR [LINK_ID]}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke one link of an operator, or every link of theirs when no id is given.")
    static class Revoke implements Callable<Integer> {
        @Mixin Target target;

        @Parameters(index = "0", paramLabel = "OPERATOR", description = "The operator's id.")
        String operatorId;

        @Parameters(index = "1", arity = "0..1", paramLabel = "LINK_ID", description = "The link's id, as create printed it.")
        String linkId;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            try (OperatorLinkTopic topic = new OperatorLinkTopic(target.kafka(spec), "credpipe-links-cli")) {
                topic.start();
                while (!topic.caughtUp()) {
                    Thread.sleep(50);
                }
                AccessLinks links = new AccessLinks(topic, LinkValidity.defaults(), new SecureRandom(), Clock.systemUTC(),
                        target.publicBase(spec));
                PrintWriter out = spec.commandLine().getOut();
                if (linkId == null) {
                    out.printf("Revoked %d links of operator %s.%n", links.revokeAll(operatorId), operatorId);
                    out.flush();
                    return 0;
                }
                boolean revoked = links.revoke(operatorId, linkId);
                out.println(revoked ? "Revoked link " + linkId + "." : "Operator " + operatorId + " has no link " + linkId + ".");
                out.flush();
                return revoked ? 0 : 1;
            }
        }
    }
}
