package io.credpipe.verifier.http;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.Set;

/** The verification routes on their own Javalin server on 127.0.0.1, allowed to fetch plain HTTP from 127.0.0.1 only. */
final class VerifyService implements AutoCloseable {

    private final Javalin app;

    VerifyService() {
        VerifyRoutes routes = new VerifyRoutes(new OnlineVerification(new FetchPolicy(Set.of("127.0.0.1")), Duration.ofSeconds(5)));
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        });
        routes.addTo(app);
        app.start("127.0.0.1", 0);
    }

    String base() {
        return "http://127.0.0.1:" + app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
