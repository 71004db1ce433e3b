package io.credpipe.app.command;

import io.credpipe.topics.client.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.Credpipe;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.issuer.delivery.LinkValidity;
import io.credpipe.issuer.stream.OperatorLinkTopic;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code credpipe links create} and {@code revoke} against the real broker, as another issuer
 * instance (a follower of {@code operator-links}) sees them; the public URL comes from the data
 * directory, the broker from the address a running pipeline recorded there.
 */
@ExtendWith(RealKafka.class)
class LinksCommandIT {

    private static final Pattern CREATED = Pattern.compile("open until (\\S+) \\(id ([0-9a-f]{64})\\)[\\s\\S]*\\n  (https://plant\\.example/o/([A-Za-z0-9_-]{43}))\\n");

    @Test
    void aLinkCreatedOnTheCommandLineOpensThePageOnAnInstanceUntilRevoked(KafkaBroker kafka, @TempDir Path data)
            throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        Files.writeString(data.resolve("public-url"), "https://plant.example\n");
        Files.writeString(data.resolve("embedded-kafka"), kafka.bootstrapServers() + "\n");
        String operator = KafkaBroker.uniqueName("cli") + ":E1";

        try (OperatorLinkTopic instance = new OperatorLinkTopic(KafkaClientSettings.plaintext(kafka.bootstrapServers()), KafkaBroker.uniqueName("instance"))) {
            instance.start();
            AccessLinks links = new AccessLinks(instance, LinkValidity.defaults(), new SecureRandom(), Clock.systemUTC(),
                    "https://plant.example");

            Run created = run("links", "create", operator, "--valid-for", "P7D", "--data-dir", data.toString());
            assertThat(created.code).as(created.out).isZero();
            Matcher printed = CREATED.matcher(created.out);
            assertThat(printed.find()).as(created.out).isTrue();
            String token = printed.group(4);
            assertThat(Instant.parse(printed.group(1))).isBetween(Instant.now().plus(Duration.ofDays(7)).minusSeconds(120),
                    Instant.now().plus(Duration.ofDays(7)));
            assertThat(await(() -> links.operatorId(token).isPresent())).isTrue();
            assertThat(links.operatorId(token)).contains(operator);

            Run wrong = run("links", "revoke", "someone-else", printed.group(2), "--data-dir", data.toString());
            assertThat(wrong.code).isEqualTo(1);
            assertThat(links.operatorId(token)).contains(operator);
            Run revoked = run("links", "revoke", operator, printed.group(2), "--data-dir", data.toString());
            assertThat(revoked.code).as(revoked.out).isZero();
            assertThat(await(() -> links.operatorId(token).isEmpty())).isTrue();
        }
        // Without a running pipeline there is nowhere to write: a clear message, no stack trace.
        Files.delete(data.resolve("embedded-kafka"));
        Run nowhere = run("links", "create", operator, "--data-dir", data.toString());
        assertThat(nowhere.code).isNotZero();
        assertThat(nowhere.err).contains("no credpipe runs on").doesNotContain("Exception");
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Credpipe.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
