package io.credpipe.issuer;

import io.credpipe.topics.client.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.credpipe.issuer.mail.SmtpSettings;
import io.credpipe.issuer.mail.SmtpTransport;
import io.credpipe.issuer.stream.DeliveryNotifier;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import io.javalin.Javalin;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * E-mail as an operator receives it, over real SMTP (GreenMail in this JVM, with a login) from a
 * running issuer on the real broker: an issued credential sends exactly one mail whose link opens
 * the operator's page, its revocation exactly one more, and an operator without an address none.
 */
@ExtendWith(RealKafka.class)
class DeliveryMailIT {

    private static final Pattern LINK = Pattern.compile("https://credentials\\.example\\.com(/o/[A-Za-z0-9_-]{43})");

    @TempDir
    Path temp;

    private GreenMail smtp;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void startSmtp() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("notifier", "s3cret"));
        smtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void anIssueSendsOneMailWithAWorkingLinkAndARevocationOneMore(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        String run = KafkaBroker.uniqueName("mail");
        // An address of this run's own: the broker is shared with other tests, whose operators the
        // notifier may also mail (it reads every committed delivery after it joined).
        Operator dana = new Operator(run + ":E1", "Dana Ruiz", run + "@plant.example");
        Operator anonymous = new Operator(run + ":E2", "No Address", null);
        String applicationId = KafkaBroker.uniqueName("issuer-mail-it");
        SmtpSettings settings = smtpSettings();

        try (IssuerService issuer = startIssuer(kafka, applicationId)) {
            try (DeliveryNotifier notifier = notifier(kafka, applicationId, issuer, settings)) {
                awaitReady(notifier);
                Javalin http = ProblemServer.create();
                issuer.addRoutes(http);
                http.start("127.0.0.1", 0);
                try {
                    publish(kafka, dana, Fixtures.achieved(dana, Level.EMERGING, null));
                    publish(kafka, anonymous, Fixtures.achieved(anonymous, Level.EMERGING, null));
                    MimeMessage issued = awaitMails(dana, 1).get(0);
                    assertThat(issued.getAllRecipients()).extracting(Object::toString).containsExactly(dana.email());
                    assertThat(issued.getFrom()).extracting(Object::toString).containsExactly("credentials@plant.example");
                    assertThat(issued.getSubject()).isEqualTo("You have earned an Emerging credential");
                    String body = issued.getContent().toString();
                    assertThat(body).startsWith("Hello Dana Ruiz,").contains("Emerging credential in Chemical Plant and System Operators (v.26.05)");
                    Matcher link = LINK.matcher(body);
                    assertThat(link.find()).as(body).isTrue();
                    HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + http.port() + link.group(1))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(page.statusCode()).isEqualTo(200);
                    assertThat(page.body()).contains("Dana Ruiz: your credentials").contains("data-status=");

                    publish(kafka, dana, Fixtures.lost(dana, Level.EMERGING));
                    MimeMessage revoked = awaitMails(dana, 2).get(1);
                    assertThat(revoked.getSubject()).isEqualTo("Your Emerging credential was withdrawn");
                    assertThat(revoked.getAllRecipients()).extracting(Object::toString).containsExactly(dana.email());
                    Matcher second = LINK.matcher(revoked.getContent().toString());
                    assertThat(second.find()).isTrue();
                    assertThat(second.group(1)).as("each mail carries a link of its own").isNotEqualTo(link.group(1));

                    // Nothing more: not a second mail per event, nothing for the operator without an address.
                    Thread.sleep(Duration.ofSeconds(3).toMillis());
                    assertThat(mailsTo(dana.email())).hasSize(2);
                    assertThat(smtp.getReceivedMessages()).noneMatch(message -> recipients(message).stream()
                            .anyMatch(to -> to.startsWith(run)) && !recipients(message).contains(dana.email()));
                } finally {
                    http.stop();
                }
            }
        }
    }

    /**
     * A delivery written while no notifier runs (between a stop and a restart) is mailed once one
     * runs again, even on a partition that had no delivery before: the group's position there was
     * fixed when the first notifier joined, not left to start at the end again.
     */
    @Test
    void aCredentialIssuedWhileTheNotifierWasDownIsMailedWhenItIsBack(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        String run = KafkaBroker.uniqueName("mail-down");
        Operator dana = new Operator(run + ":E1", "Dana Ruiz", run + "@plant.example");
        String applicationId = KafkaBroker.uniqueName("issuer-mail-down-it");
        SmtpSettings settings = smtpSettings();
        try (IssuerService issuer = startIssuer(kafka, applicationId)) {
            try (DeliveryNotifier first = notifier(kafka, applicationId, issuer, settings)) {
                awaitReady(first);
            }
            // Issued while no notifier runs: the first mail of this group, on whichever partition.
            publish(kafka, dana, Fixtures.achieved(dana, Level.EMERGING, null));
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            while (issuer.operatorCredentials(dana.id()).isEmpty()) {
                assertThat(System.nanoTime()).as("the credential is issued").isLessThan(deadline);
                Thread.sleep(100);
            }
            try (DeliveryNotifier again = notifier(kafka, applicationId, issuer, settings)) {
                awaitReady(again);
                assertThat(awaitMails(dana, 1).get(0).getSubject()).isEqualTo("You have earned an Emerging credential");
            }
        }
    }

    /** The test's GreenMail server, with its login. */
    private SmtpSettings smtpSettings() {
        return SmtpSettings.parse("smtp://notifier@127.0.0.1:" + smtp.getSmtp().getPort(), null,
                Map.of(SmtpSettings.PASSWORD_VARIABLE, "s3cret"), "credentials@plant.example");
    }

    private IssuerService startIssuer(KafkaBroker kafka, String applicationId) {
        IssuerService issuer = new IssuerService(new IssuerConfig(kafka.bootstrapServers(), applicationId,
                temp.resolve("state"), temp.resolve("data"), Fixtures.URLS, Fixtures.ISSUER.name()),
                key -> Optional.<Caller>empty());
        try {
            issuer.start();
        } catch (RuntimeException e) {
            issuer.close();
            throw e;
        }
        return issuer;
    }

    private static DeliveryNotifier notifier(KafkaBroker kafka, String applicationId, IssuerService issuer, SmtpSettings settings) {
        DeliveryNotifier notifier = new DeliveryNotifier(KafkaClientSettings.plaintext(kafka.bootstrapServers()), applicationId,
                issuer.accessLinks(), new SmtpTransport(settings), Fixtures.ISSUER.name(), issuer::frameworkTitle);
        notifier.start();
        return notifier;
    }

    private static void awaitReady(DeliveryNotifier notifier) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (!notifier.ready()) {
            assertThat(System.nanoTime()).as("the notifier joined its group").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Waits until {@code operator} has received {@code count} mails; answers them in order. */
    private List<MimeMessage> awaitMails(Operator operator, int count) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (mailsTo(operator.email()).size() < count) {
            assertThat(System.nanoTime()).as("%d mails to the operator within %s", count, KafkaBroker.PATIENCE)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        return mailsTo(operator.email());
    }

    private List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(message -> recipients(message).contains(address)).toList();
    }

    private static List<String> recipients(MimeMessage message) {
        try {
            return Arrays.stream(message.getAllRecipients()).map(Object::toString).toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void publish(KafkaBroker kafka, Operator operator, LevelDecision decision) throws Exception {
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Framework> frameworks = new KafkaProducer<>(producer,
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer())) {
            for (Framework framework : SeedFrameworks.load()) {
                frameworks.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)).get();
            }
        }
        try (KafkaProducer<String, LevelDecision> achievements = new KafkaProducer<>(producer,
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), operator.id(), decision)).get();
        }
    }
}
