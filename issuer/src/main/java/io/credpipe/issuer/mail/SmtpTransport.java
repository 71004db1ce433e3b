package io.credpipe.issuer.mail;

import io.credpipe.issuer.delivery.MailTransport;
import io.credpipe.issuer.delivery.OperatorMail;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;

/**
 * Operators' e-mails over SMTP with Jakarta Mail (Eclipse Angus). A failure's message never names
 * the recipient: Jakarta Mail's own messages can carry addresses, so only the failure's kind is kept.
 */
public final class SmtpTransport implements MailTransport {

    /** How long connecting, reading and writing may each take. */
    static final int TIMEOUT_MILLIS = 20_000;

    private final Session session;
    private final InternetAddress from;

    public SmtpTransport(SmtpSettings settings) {
        Objects.requireNonNull(settings, "settings");
        String protocol = settings.secure() ? "smtps" : "smtp";
        Properties properties = new Properties();
        properties.put("mail.transport.protocol", protocol);
        properties.put("mail." + protocol + ".host", settings.host());
        properties.put("mail." + protocol + ".port", String.valueOf(settings.port()));
        properties.put("mail." + protocol + ".connectiontimeout", String.valueOf(TIMEOUT_MILLIS));
        properties.put("mail." + protocol + ".timeout", String.valueOf(TIMEOUT_MILLIS));
        properties.put("mail." + protocol + ".writetimeout", String.valueOf(TIMEOUT_MILLIS));
        if (settings.secure()) {
            properties.put("mail.smtps.ssl.checkserveridentity", "true");
        } else {
            // Upgrade to TLS whenever the server offers it; a server without STARTTLS still gets the mail.
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        Authenticator login = null;
        if (settings.username() != null) {
            properties.put("mail." + protocol + ".auth", "true");
            String user = settings.username();
            String password = settings.password() == null ? "" : settings.password();
            login = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(properties, login);
        try {
            this.from = new InternetAddress(settings.from(), true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("the sender address is not an e-mail address");
        }
    }

    @Override
    public void send(String address, OperatorMail.Message message) {
        try {
            MimeMessage mime = new MimeMessage(session);
            mime.setFrom(from);
            mime.setRecipient(Message.RecipientType.TO, new InternetAddress(address, true));
            mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
            mime.setText(message.text(), StandardCharsets.UTF_8.name());
            mime.setSentDate(new Date());
            Transport.send(mime);
        } catch (MessagingException e) {
            throw new IllegalStateException("the SMTP server did not take the mail (" + e.getClass().getSimpleName() + ")");
        }
    }
}
