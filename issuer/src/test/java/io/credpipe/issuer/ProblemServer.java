package io.credpipe.issuer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.model.json.Json;
import io.javalin.Javalin;

/** A Javalin server for route tests that renders problems as the app's HTTP server does. */
public final class ProblemServer {

    private static final ObjectMapper MAPPER = Json.newMapper();

    private ProblemServer() {}

    /** Not started: problems become {@code application/problem+json} with their headers. */
    public static Javalin create() {
        Javalin http = Javalin.create(config -> config.showJavalinBanner = false);
        http.exception(ProblemException.class, (e, ctx) -> {
            try {
                e.headers().forEach(ctx::header);
                ctx.status(e.problem().status()).contentType("application/problem+json")
                        .result(MAPPER.writeValueAsString(e.problem()));
            } catch (JsonProcessingException unexpected) {
                throw new IllegalStateException(unexpected);
            }
        });
        return http;
    }
}
