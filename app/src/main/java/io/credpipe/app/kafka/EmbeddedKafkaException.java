package io.credpipe.app.kafka;

/** The embedded broker could not start or stopped fatally. */
public final class EmbeddedKafkaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
