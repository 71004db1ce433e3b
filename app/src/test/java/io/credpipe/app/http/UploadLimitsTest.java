package io.credpipe.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request bodies that never arrive, arrive short or arrive broken are the client's fault: they get
 * a 4xx, and they cannot take every server thread. Driven over raw sockets, since a well-behaved
 * HTTP client cannot send such requests.
 */
class UploadLimitsTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    private HttpServer server;
    private final List<Socket> open = new ArrayList<>();

    @BeforeEach
    void start() {
        server = new HttpServer(List.of(), List.of(http -> http.post("/upload", ctx -> ctx.result(ctx.bodyAsBytes().length + " bytes"))),
                new HttpServer.Limits(2, READ_TIMEOUT)).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : open) {
            socket.close();
        }
        server.close();
    }

    @Test
    void aStalledUploadIsAnswered408AfterTheReadTimeout() throws Exception {
        Socket socket = announce(100_000, "x");

        long started = System.nanoTime();
        String response = readResponse(socket);

        assertThat(response).startsWith("HTTP/1.1 408").contains("application/problem+json");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(READ_TIMEOUT.multipliedBy(5));
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400() throws Exception {
        Socket socket = announce(100, "only ten b");
        socket.shutdownOutput();

        assertThat(readResponse(socket)).startsWith("HTTP/1.1 400").contains("application/problem+json");
    }

    @Test
    void brokenChunkingIs400() throws Exception {
        Socket socket = connect();
        write(socket, "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");

        assertThat(readResponse(socket)).startsWith("HTTP/1.1 400").contains("application/problem+json");
    }

    @Test
    void uploadsBeyondTheBoundAre503WhileHealthStillAnswers() throws Exception {
        announce(100_000, "x");
        announce(100_000, "x");
        Thread.sleep(200); // both are now blocked reading their bodies

        Socket third = announce(5, "hello");
        String refused = readResponse(third);
        Socket health = connect();
        write(health, "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(refused).startsWith("HTTP/1.1 503").contains("Retry-After: 1");
        assertThat(readResponse(health)).startsWith("HTTP/1.1 200");
    }

    @Test
    void slotsAreGivenBackSoLaterUploadsPass() throws Exception {
        for (int i = 0; i < 5; i++) {
            Socket socket = announce(5, "hello");
            assertThat(readResponse(socket)).startsWith("HTTP/1.1 200").endsWith("5 bytes");
        }
    }

    private Socket announce(int contentLength, String sent) throws IOException {
        Socket socket = connect();
        write(socket, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n" + sent);
        return socket;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(15_000);
        open.add(socket);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
