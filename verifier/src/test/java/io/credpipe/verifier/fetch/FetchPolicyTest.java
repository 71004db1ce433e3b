package io.credpipe.verifier.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FetchPolicyTest {

    @Test
    void plainHttpOnlyToAllowedHosts() {
        HttpFetch https = new HttpFetch(Duration.ofSeconds(1));
        assertThat(https.refusal(URI.create("http://127.0.0.1/x"))).contains("plain HTTP to 127.0.0.1 is not allowed");
        assertThat(https.refusal(URI.create("https://example.com/x"))).isNull();
        assertThat(https.refusal(URI.create("file:///etc/passwd"))).startsWith("not an http(s) URL");
        assertThat(new HttpFetch(Duration.ofSeconds(1), Set.of("127.0.0.1"), null).refusal(URI.create("http://127.0.0.1/x"))).isNull();
        assertThat(https.get(URI.create("http://127.0.0.1:1/x"), "*/*").failure()).contains("not allowed");
    }

    @Test
    void cacheControlDecidesHowLongAResponseIsKept() {
        assertThat(FetchCache.lifetime("max-age=60")).contains(Duration.ofSeconds(60));
        assertThat(FetchCache.lifetime("public, max-age=86400")).contains(FetchCache.MAX_AGE);
        assertThat(FetchCache.lifetime("no-store, max-age=60")).isEmpty();
        assertThat(FetchCache.lifetime("no-cache")).isEmpty();
        assertThat(FetchCache.lifetime("")).isEmpty();
    }

    @Test
    void aCacheableResponseIsFetchedOnceAndNoStoreEveryTime() throws Exception {
        AtomicInteger cached = new AtomicInteger();
        AtomicInteger uncached = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cached", exchange -> {
            cached.incrementAndGet();
            exchange.getResponseHeaders().add("Cache-Control", "max-age=300");
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write("ok".getBytes());
            }
        });
        server.createContext("/no-store", exchange -> {
            uncached.incrementAndGet();
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write("ok".getBytes());
            }
        });
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://example.com/elsewhere");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            HttpFetch fetch = new HttpFetch(Duration.ofSeconds(2), Set.of("127.0.0.1"), new FetchCache(Clock.systemUTC()));
            for (int i = 0; i < 3; i++) {
                assertThat(fetch.get(URI.create(base + "/cached"), "*/*").ok()).isTrue();
                assertThat(fetch.get(URI.create(base + "/no-store"), "*/*").ok()).isTrue();
            }
            assertThat(cached).hasValue(1);
            assertThat(uncached).hasValue(3);
            // A redirect to a host plain HTTP is not allowed to is refused, not followed.
            assertThat(fetch.get(URI.create(base + "/redirect"), "*/*").failure())
                    .contains("redirects to http://example.com/elsewhere").contains("not allowed");
        } finally {
            server.stop(0);
        }
    }
}
