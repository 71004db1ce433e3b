package io.credpipe.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS front for a pipeline under test, as a TLS-terminating reverse proxy is in a deployment:
 * {@code did:web} is resolved over https only (DID Method Web §3.2), so a did:web verifier can reach
 * the issuer only through one. Its certificate (self-signed for 127.0.0.1, made with the JDK's
 * keytool) is written as PEM for clients to trust, e.g. Node.js through {@code NODE_EXTRA_CA_CERTS}.
 * It listens before the pipeline starts, so its URL can be the pipeline's public URL.
 */
final class TlsFront implements AutoCloseable {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final List<String> FORWARDED = List.of("Accept", "Content-Type", "Authorization", "If-None-Match");
    private static final List<String> RETURNED = List.of("Content-Type", "ETag", "Cache-Control", "Location", "Vary",
            "Content-Disposition");

    private final HttpsServer server;
    private final Path certificate;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile String target;

    private TlsFront(HttpsServer server, Path certificate) {
        this.server = server;
        this.certificate = certificate;
    }

    /** Listens on a free loopback port with a new certificate kept in {@code dir}. */
    static TlsFront start(Path dir) throws Exception {
        Path keystore = dir.resolve("tls.p12");
        Path pem = dir.resolve("tls.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(List.of(keytool, "-genkeypair", "-alias", "tls", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit"));
        keytool(List.of(keytool, "-exportcert", "-rfc", "-alias", "tls", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", pem.toString()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newFixedThreadPool(4));
        TlsFront front = new TlsFront(server, pem);
        server.createContext("/", front::forward);
        server.start();
        return front;
    }

    private static void keytool(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    /** The public https base URL. */
    String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The certificate clients must trust, PEM. */
    Path certificate() {
        return certificate;
    }

    /** Where requests go from now on: the pipeline's plain-http base URL. */
    void forwardTo(String httpBase) {
        this.target = httpBase;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String upstream = target;
            if (upstream == null) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String name : FORWARDED) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (String name : RETURNED) {
                response.headers().firstValue(name).ifPresent(value -> exchange.getResponseHeaders().add(name, value));
            }
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
