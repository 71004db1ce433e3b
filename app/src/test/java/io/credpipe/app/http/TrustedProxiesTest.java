package io.credpipe.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.issuer.delivery.GuessLimiter;
import io.credpipe.issuer.http.GuessGuard;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {

    private static final InetAddress PROXY = address("10.0.0.1");
    private static final InetAddress STRANGER = address("198.51.100.9");
    private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "2001:db8:1::/48"));

    @Test
    void aStrangersForwardedForIsNotRead() {
        assertThat(proxies.client(STRANGER, List.of("203.0.113.7"))).isEqualTo(STRANGER);
        assertThat(TrustedProxies.NONE.client(PROXY, List.of("203.0.113.7"))).isEqualTo(PROXY);
    }

    @Test
    void behindATrustedProxyTheClientIsTheAddressItForwardedFor() {
        assertThat(proxies.client(PROXY, List.of("203.0.113.7"))).isEqualTo(address("203.0.113.7"));
        assertThat(proxies.client(PROXY, List.of())).as("no header: the proxy's own request").isEqualTo(PROXY);
    }

    @Test
    void whatAClientWroteIntoTheHeaderItselfGainsItNothing() {
        // The client sent "X-Forwarded-For: 192.0.2.1"; the proxy appended the address it saw.
        assertThat(proxies.client(PROXY, List.of("192.0.2.1, 203.0.113.7"))).isEqualTo(address("203.0.113.7"));
        assertThat(proxies.client(PROXY, List.of("192.0.2.1", "203.0.113.7"))).as("as two header lines")
                .isEqualTo(address("203.0.113.7"));
    }

    @Test
    void aChainOfTrustedProxiesIsWalkedFromTheRight() {
        assertThat(proxies.client(PROXY, List.of("192.0.2.1, 203.0.113.7, 10.0.0.2, 10.1.2.3"))).isEqualTo(address("203.0.113.7"));
        assertThat(proxies.client(PROXY, List.of("10.0.0.3, 10.0.0.2"))).as("all trusted: the left-most")
                .isEqualTo(address("10.0.0.3"));
        assertThat(proxies.client(address("2001:db8:1::5"), List.of("2001:db8:2::9"))).isEqualTo(address("2001:db8:2::9"));
    }

    @Test
    void portsAndBracketsAreReadAndAMalformedHopEndsTheWalkAtTheLastTrustedAddress() {
        assertThat(proxies.client(PROXY, List.of("203.0.113.7:4711"))).isEqualTo(address("203.0.113.7"));
        assertThat(proxies.client(PROXY, List.of("[2001:db8:2::9]:443"))).isEqualTo(address("2001:db8:2::9"));
        assertThat(proxies.client(PROXY, List.of("unknown"))).isEqualTo(PROXY);
        assertThat(proxies.client(PROXY, List.of("203.0.113.7, evil.example, 10.0.0.2"))).isEqualTo(address("10.0.0.2"));
        assertThat(proxies.client(PROXY, List.of("300.1.1.1"))).isEqualTo(PROXY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.example", "localhost", "10.0.0.0/33", "::1/129", "999.0.0.1", "10.0.0.0/", "10.0.0.0/x", ""})
    void anEntryThatIsNoAddressOrBlockIsRefusedByName(String entry) {
        assertThatThrownBy(() -> new TrustedProxies(List.of("127.0.0.1", entry)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith(": " + entry);
    }

    /**
     * The point of it, on a real server: behind a trusted proxy each client has its own budget of
     * guesses, so one that spends it does not lock out the next; without trusting the proxy every
     * client shares the proxy's.
     */
    @Test
    void behindATrustedProxyOneGuessersBudgetIsNotEveryonesAndTheHeaderAloneChangesNothing() throws Exception {
        assertThat(answersToASecondClient(new TrustedProxies(List.of("127.0.0.1")))).isEqualTo(404);
        assertThat(answersToASecondClient(TrustedProxies.NONE)).isEqualTo(429);
    }

    /** One client spends its guesses on unknown links; what does the next client get? */
    private static int answersToASecondClient(TrustedProxies proxies) throws Exception {
        GuessGuard guard = new GuessGuard(new GuessLimiter(Clock.systemUTC()));
        try (HttpServer server = new HttpServer(List.of(), List.of(), List.of(http -> {
            guard.guardNotFound(http, "/o/*");
            http.get("/o/{token}", ctx -> ctx.status(404).result("no such link"));
        }), HttpServer.Limits.DEFAULT, proxies).start("127.0.0.1", 0)) {
            HttpClient client = HttpClient.newHttpClient();
            int first = 0;
            for (int i = 0; i <= GuessLimiter.DEFAULT_FAILURES; i++) {
                first = get(client, server, "203.0.113.7");
            }
            assertThat(first).as("the guesser is held back").isEqualTo(429);
            return get(client, server, "203.0.113.8");
        }
    }

    private static int get(HttpClient client, HttpServer server, String forwardedFor) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/o/guess"))
                .header(TrustedProxies.X_FORWARDED_FOR, forwardedFor).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
