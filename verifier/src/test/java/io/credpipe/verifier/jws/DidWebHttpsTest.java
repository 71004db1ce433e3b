package io.credpipe.verifier.jws;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.credpipe.verifier.fetch.HttpFetch;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolves a {@code did:web} key from a real HTTPS server (issue 13's gap): a local server with a
 * self-signed certificate for 127.0.0.1, trusted through a test trust store, serves the DID
 * document at {@code /.well-known/did.json} (did:web method §3.1); the port is percent-encoded in
 * the DID. Without the trust store the same resolution fails on the certificate, so TLS is checked.
 */
class DidWebHttpsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    private HttpsServer server;
    private SSLContext trusting;
    private ECKey key;
    private String did;

    @BeforeEach
    void serveADidDocumentOverHttps() throws Exception {
        Path keystore = dir.resolve("tls.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process generate = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "tls", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit"))
                .redirectErrorStream(true).start();
        assertThat(generate.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(generate.exitValue()).as(new String(generate.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);

        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("issuer", store.getCertificate("tls"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        key = new ECKeyGenerator(Curve.P_256).keyID("key-1").generate();
        did = "did:web:127.0.0.1%3A" + server.getAddress().getPort();
        byte[] document = ("{\"@context\":[\"https://www.w3.org/ns/did/v1\"],\"id\":\"" + did + "\","
                + "\"verificationMethod\":[{\"id\":\"" + did + "#key-1\",\"type\":\"JsonWebKey2020\",\"controller\":\"" + did + "\","
                + "\"publicKeyJwk\":" + key.toPublicJWK().toJSONString() + "}],\"assertionMethod\":[\"" + did + "#key-1\"]}")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/.well-known/did.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/did+json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aDidWebKeyIsResolvedOverHttpsFromTheDocumentsAssertionMethod() {
        DidResolver resolver = new DidResolver(new HttpFetch(Duration.ofSeconds(10), Set.of(), null, trusting));

        KeySource.Loaded loaded = resolver.resolve(did);

        assertThat(loaded.failure()).isNull();
        assertThat(loaded.source()).contains("https://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/did.json");
        // The one published key, held under its DID URL and, when the JWK names one, its own kid too.
        assertThat(loaded.keys().size()).isEqualTo(key.getKeyID() == null ? 1 : 2);
        assertThat(loaded.keys().find(did + "#key-1")).as("the key, named by its DID URL").isNotNull();
    }

    @Test
    void anUntrustedCertificateIsAFailureNotAKey() {
        DidResolver resolver = new DidResolver(new HttpFetch(Duration.ofSeconds(10)));

        KeySource.Loaded loaded = resolver.resolve(did);

        assertThat(loaded.keys()).isNull();
        assertThat(loaded.failure()).contains("cannot resolve " + did);
    }
}
