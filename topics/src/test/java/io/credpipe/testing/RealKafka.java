package io.credpipe.testing;

import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * JUnit 5 extension that injects a {@link KafkaBroker} into test constructors, lifecycle methods
 * and test methods. One broker is started per test JVM (the root store closes it when the run
 * ends), not per test class: the first broker in a JVM costs seconds, later tests reuse it.
 *
 * <p>The broker is a Testcontainers {@code apache/kafka} container when a Docker engine is
 * reachable, otherwise an in-process KRaft broker. {@code -Dcredpipe.test.kafka=in-process} or
 * {@code =testcontainers} forces one.
 *
 * <pre>{@code
 * @ExtendWith(RealKafka.class)
 * class PipelineIT {
 *     @Test void flows(KafkaBroker kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class RealKafka implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealKafka.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KafkaBroker.class, key -> startBroker(), KafkaBroker.class);
    }

    /**
     * A broker of the caller's own, never shared: for a test that stops it (to see how a service
     * behaves when Kafka goes away). Always in-process, whatever Docker offers; close it to stop it.
     */
    public static KafkaBroker startPrivateBroker() {
        try {
            return InProcessKafkaBroker.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a private Kafka broker", e);
        }
    }

    private static KafkaBroker startBroker() {
        String forced = System.getProperty("credpipe.test.kafka", "").toLowerCase(Locale.ROOT);
        boolean docker = switch (forced) {
            case "testcontainers" -> true;
            case "in-process" -> false;
            default -> DockerClientFactory.instance().isDockerAvailable();
        };
        long started = System.nanoTime();
        try {
            KafkaBroker broker = docker ? ContainerKafkaBroker.start() : InProcessKafkaBroker.start();
            System.out.printf("credpipe tests: %s Kafka broker at %s, ready in %d ms%n",
                    broker.kind(), broker.bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a Kafka broker for the tests", e);
        }
    }
}
