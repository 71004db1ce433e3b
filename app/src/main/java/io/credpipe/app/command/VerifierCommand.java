package io.credpipe.app.command;

import io.credpipe.app.http.HttpServer;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.http.FetchPolicy;
import io.credpipe.verifier.http.OnlineVerification;
import io.credpipe.verifier.http.VerifyRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code credpipe verifier}: the employer-facing verification service alone — the {@code /verify}
 * page and {@code POST /v1/verify} — with no Kafka and no issuer keys: it needs nothing but the
 * public keys and status lists it fetches.
 */
@Command(name = "verifier", mixinStandardHelpOptions = true,
        description = {"Run only the verification service for employers: the /verify page and POST /v1/verify.",
                "The page takes a pasted credential, an uploaded file, or /verify?url=….",
                "It needs no Kafka and no issuer keys: issuers' public keys and status lists are fetched over https."})
public class VerifierCommand implements Callable<Integer> {

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 to accept remote clients).")
    String host;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int port;

    @Option(names = "--allow-http-host", paramLabel = "HOST",
            description = "Also fetch credentials, keys and status lists over plain http from HOST (repeatable; for local and test use).")
    List<String> allowHttpHosts = new ArrayList<>();

    @Spec CommandSpec spec;

    /**
     * Starts the service.
     *
     * @param host            the interface to listen on
     * @param port            the port; 0 picks a free one
     * @param allowHttpHosts  hosts that may be fetched over plain http
     * @return the running server
     */
    public static HttpServer start(String host, int port, Set<String> allowHttpHosts) {
        VerifyRoutes routes = new VerifyRoutes(new OnlineVerification(new FetchPolicy(allowHttpHosts),
                CredentialVerifier.DEFAULT_HTTP_TIMEOUT));
        return new HttpServer(List.of(), List.of(routes::addTo)).start(host, port);
    }

    @Override
    public Integer call() throws InterruptedException {
        HttpServer server = start(host, port, Set.copyOf(allowHttpHosts));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "credpipe-shutdown"));
        var out = spec.commandLine().getOut();
        out.printf("credpipe verifier running: http://%s:%d/verify (POST /v1/verify for machines). Ctrl-C stops.%n", host, server.port());
        out.flush();
        stopped.await();
        return 0;
    }
}
