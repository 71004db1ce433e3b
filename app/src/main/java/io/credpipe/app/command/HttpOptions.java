package io.credpipe.app.command;

import io.credpipe.app.http.TrustedProxies;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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

    @Option(names = "--trusted-proxy", paramLabel = "ADDRESS[/BITS]",
            description = "A reverse proxy in front of this server (an IP address or CIDR block; repeatable): the client"
                    + " address of its requests, which limits on guessing go by, is read from its X-Forwarded-For.")
    List<String> trustedProxies = new ArrayList<>();

    Optional<String> publicUrl() {
        return Optional.ofNullable(publicUrl);
    }

    /** The proxies of {@code --trusted-proxy}; a usage error names an entry that is no address or block. */
    TrustedProxies trustedProxies(CommandSpec spec) {
        try {
            return new TrustedProxies(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--trusted-proxy: " + e.getMessage());
        }
    }
}
