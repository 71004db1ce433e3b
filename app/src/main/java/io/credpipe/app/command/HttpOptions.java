package io.credpipe.app.command;

import java.util.Optional;
import picocli.CommandLine.Option;

/** The HTTP side of a process. */
public final class HttpOptions {

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 to accept remote clients).")
    String host;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP port for every route (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int port;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "Base URL credentials are published under (default: http://<http-host>:<http-port>).")
    String publicUrl;

    @Option(names = "--issuer-name", paramLabel = "NAME", defaultValue = "credpipe",
            description = "The issuer's name in credentials (default: ${DEFAULT-VALUE}).")
    String issuerName;

    Optional<String> publicUrl() {
        return Optional.ofNullable(publicUrl);
    }
}
