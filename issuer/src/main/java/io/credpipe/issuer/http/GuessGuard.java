package io.credpipe.issuer.http;

import io.credpipe.issuer.delivery.GuessLimiter;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Holds back clients that guess: every answer that says "no such token, code or exchange" takes one
 * try from the client's {@link GuessLimiter} budget (by {@code ctx.ip()}: behind a reverse proxy the
 * server must be told to trust the proxy's {@code X-Forwarded-For}, {@code --trusted-proxy}, or every
 * client shares the proxy's budget), and a client out
 * of tries gets 429 with {@code Retry-After} (RFC 6585 §4) before its request is looked at.
 *
 * <p>Pages and APIs answer {@code application/problem+json} ({@code too-many-guesses}). The OAuth
 * token endpoint answers in its own error form (RFC 6749 §5.2: {@code error},
 * {@code error_description}), with {@code slow_down}, the error the OAuth Extensions Error
 * registry holds for a token endpoint client that must slow down (RFC 8628 §3.5, §7.3); status 429
 * as RFC 6749 §5.2 allows ("400 unless specified otherwise"). A wrong pre-authorized code or
 * {@code tx_code} is {@code invalid_grant} and a malformed request {@code invalid_request} (400,
 * OpenID4VCI 1.0 §6.3): both count as failures.
 */
public final class GuessGuard {

    private final GuessLimiter limiter;

    public GuessGuard(GuessLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /**
     * Guards routes whose unknown tokens or ids are answered 404: access-link pages
     * ({@code /o/*}) and exchanges ({@code /exchanges/*}).
     *
     * @param http  the server
     * @param paths Javalin path patterns, e.g. {@code /o/*}
     */
    public void guardNotFound(Javalin http, String... paths) {
        for (String path : paths) {
            http.before(path, ctx -> limiter.refusal(ctx.ip()).ifPresent(wait -> {
                throw new ProblemException(Problem.of("too-many-guesses", "Too many failed attempts", 429,
                        "Too many links, codes or exchanges that do not exist were tried from this address. "
                                + "Retry after " + wait.toSeconds() + " seconds."),
                        Map.of("Retry-After", Long.toString(wait.toSeconds()), "Cache-Control", "no-store"));
            }));
            http.after(path, ctx -> {
                if (ctx.statusCode() == 404) {
                    limiter.failed(ctx.ip());
                }
            });
        }
    }

    /**
     * Guards an OAuth 2.0 token endpoint ({@code /oid4vci/token}): every 400 is a failed try.
     *
     * @param http the server
     * @param path the token endpoint's path
     */
    public void guardTokenEndpoint(Javalin http, String path) {
        http.before(path, ctx -> limiter.refusal(ctx.ip()).ifPresent(wait -> slowDown(ctx, wait)));
        http.after(path, ctx -> {
            if (ctx.statusCode() == 400) {
                limiter.failed(ctx.ip());
            }
        });
    }

    private static void slowDown(Context ctx, Duration wait) {
        ctx.status(429).header("Retry-After", Long.toString(wait.toSeconds())).header("Cache-Control", "no-store")
                .contentType("application/json")
                .result("{\"error\":\"slow_down\",\"error_description\":\"too many failed token requests from this address; "
                        + "retry after " + wait.toSeconds() + " seconds\"}");
        ctx.skipRemainingHandlers();
    }
}
