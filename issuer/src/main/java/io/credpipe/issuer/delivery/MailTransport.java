package io.credpipe.issuer.delivery;

/** Where operators' e-mails go out: SMTP in a running pipeline ({@code --smtp-url}). */
@FunctionalInterface
public interface MailTransport {

    /**
     * Sends {@code message} to {@code address}, which is never logged.
     *
     * @throws IllegalStateException when the server refuses it or cannot be reached
     */
    void send(String address, OperatorMail.Message message);
}
