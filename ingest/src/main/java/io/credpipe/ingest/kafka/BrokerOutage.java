package io.credpipe.ingest.kafka;

import java.util.function.Predicate;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownServerException;

/**
 * Which failed writes are an outage of the broker, answered {@code 503} with {@code Retry-After},
 * rather than a refusal of the record that resending cannot change (answered {@code 500}).
 *
 * <p>Kafka's {@link RetriableException} covers a broker that is away, moving leaders or short of
 * replicas. Two failures outside it are the broker's too, and go with its recovery:
 * <ul>
 * <li>{@link UnknownServerException}: the broker failed while appending. A disk that fills under a
 *     memory-mapped index makes the JVM fault on the page ({@code InternalError}), which the broker
 *     answers this way instead of failing the log directory; once it has space again (or is
 *     restarted with it) the same events are taken.</li>
 * <li>{@link OutOfOrderSequenceException}: the broker lost the idempotent producer's state, as on
 *     a partition not loaded yet (KAFKA-15591) or a half-written append; the producer starts a new
 *     epoch and a resend is appended once.</li>
 * </ul>
 * Resending is always safe: events are de-duplicated by id, so anything that did reach the log is
 * reported {@code duplicate}.
 */
public final class BrokerOutage implements Predicate<Throwable> {

    @Override
    public boolean test(Throwable failure) {
        return failure instanceof RetriableException
                || failure instanceof UnknownServerException
                || failure instanceof OutOfOrderSequenceException;
    }
}
