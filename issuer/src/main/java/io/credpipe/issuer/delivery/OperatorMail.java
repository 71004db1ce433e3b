package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.framework.Level;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The e-mail an operator receives when one of their credentials is issued, reinstated, revoked or
 * suspended: plain text, what happened in a sentence, and the private link to their page, which is
 * where everything else is (the credential, the wallet, the share link). Other delivery events
 * (expiry notices, wallet events) send no mail: the issue asks for issues and revocations.
 */
public final class OperatorMail {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /**
     * One message.
     *
     * @param subject the subject line
     * @param text the plain-text body
     */
    public record Message(String subject, String text) {

        public Message {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(text, "text");
        }
    }

    private OperatorMail() {}

    /** Whether {@code event} is one an operator is e-mailed about. */
    public static boolean mailed(DeliveryEvent event) {
        return switch (event.kind()) {
            case ISSUED, REINSTATED, REVOKED, SUSPENDED -> true;
            default -> false;
        };
    }

    /**
     * The message about {@code event}, or empty when it is not mailed.
     *
     * @param name the operator's name, or null
     * @param framework the framework's title, or null to name it by its id
     * @param pageUrl the private link to their page
     * @param linkExpires when that link stops working
     * @param issuerName who issues the credentials
     */
    public static Optional<Message> about(DeliveryEvent event, String name, String framework, String pageUrl,
            Instant linkExpires, String issuerName) {
        if (!mailed(event)) {
            return Optional.empty();
        }
        String what = level(event.level()) + " credential";
        String aWhat = ("AEIOU".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what;
        String greeting = name == null || name.isBlank() ? "Hello," : "Hello " + name + ",";
        String subject;
        String happened;
        switch (event.kind()) {
            case ISSUED -> {
                subject = "You have earned " + aWhat;
                happened = issuerName + " has issued you " + aWhat + (framework != null ? " in " + framework
                        : event.frameworkId() == null ? "" : " in " + event.frameworkId()) + ". You can download it, share it with an employer or add it to a"
                        + " digital wallet from your page.";
            }
            case REINSTATED -> {
                subject = "Your " + what + " is valid again";
                happened = issuerName + " has reinstated your " + what + " as a new credential. Replace the"
                        + " suspended copy wherever you keep it (wallet, download) with the new one from your page.";
            }
            case SUSPENDED -> {
                subject = "Your " + what + " is suspended";
                happened = issuerName + " has suspended your " + what + ". Employers who check it are told it is"
                        + " not valid until it is reinstated.";
            }
            default -> {
                subject = "Your " + what + " was withdrawn";
                happened = issuerName + " has revoked your " + what + ". Employers who check it are told it is no"
                        + " longer valid. Your page shows what you need to demonstrate to earn it again.";
            }
        }
        String text = greeting + "\n\n" + happened + "\n\nYour page (a private link: do not forward it):\n" + pageUrl
                + "\n\nThe link works until " + DAY.format(linkExpires) + ". Ask your HR contact for a new one after that."
                + "\n";
        return Optional.of(new Message(subject, text));
    }

    private static String level(String levelId) {
        return levelId == null ? "" : Level.fromId(levelId).map(Level::defaultLabel).orElse(levelId);
    }
}
