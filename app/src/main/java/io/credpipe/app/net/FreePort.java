package io.credpipe.app.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks ports nobody listens on, on the loopback interface only. */
public final class FreePort {

    private FreePort() {}

    /** Whether nothing listens on {@code port} of 127.0.0.1 now (0 counts as free: it means "any"). */
    public static boolean isFree(int port) {
        if (port == 0) {
            return true;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on 127.0.0.1 at the time of the call. */
    public static int onLoopback() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
