package io.credpipe.app.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed, so that a request's client address
 * ({@code ctx.ip()}, which the guessing limits and the request log key on) is the client's and not
 * the proxy's. Without it every client behind a TLS-terminating proxy shares one budget of guesses,
 * and one client that spends it locks all the others out.
 *
 * <p>A request whose connection comes from a trusted address is read from the right of its
 * {@code X-Forwarded-For} (each proxy appends the address it received the request from): the first
 * address that is not itself a trusted proxy is the client. What lies left of it was written by
 * the client and is ignored, so a forged header gains a client nothing: from an untrusted address
 * the header is not read at all. As nginx's {@code real_ip_recursive} and Tomcat's
 * {@code RemoteIpValve} do; RFC 7239's {@code Forwarded} header is not read (the proxies in common
 * use send {@code X-Forwarded-For} by default).
 */
public final class TrustedProxies implements HttpConfiguration.Customizer {

    /** Trusts no proxy: the client address is the connection's. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    static final String X_FORWARDED_FOR = "X-Forwarded-For";

    /** An IPv4 literal, or something that can only be an IPv6 one: never a host name to look up. */
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final InetAddressSet trusted = new InetAddressSet();
    private final List<String> patterns;

    /**
     * @param patterns addresses ({@code 10.0.0.7}, {@code ::1}) and CIDR blocks ({@code 10.0.0.0/8},
     *     {@code fd00::/8}) of the proxies in front of this server
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public TrustedProxies(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        for (String pattern : this.patterns) {
            int slash = pattern.indexOf('/');
            String address = slash < 0 ? pattern : pattern.substring(0, slash);
            String bits = slash < 0 ? "" : pattern.substring(slash + 1);
            Optional<InetAddress> parsed = literal(address);
            int maxBits = parsed.map(a -> a.getAddress().length * 8).orElse(0);
            boolean validBits = slash < 0 || (bits.matches("\\d{1,3}") && Integer.parseInt(bits) <= maxBits);
            if (parsed.isEmpty() || !validBits) {
                throw new IllegalArgumentException("a trusted proxy is an IP address or a CIDR block (10.0.0.0/8, fd00::/8): "
                        + pattern);
            }
            trusted.add(pattern);
        }
    }

    /** The addresses and blocks trusted, as given. */
    public List<String> patterns() {
        return patterns;
    }

    /**
     * The client's address.
     *
     * @param peer          the address the connection comes from
     * @param forwardedFor  the request's {@code X-Forwarded-For} headers, in the order received
     * @return {@code peer} when it is not a trusted proxy; otherwise the right-most forwarded address
     *     that is not one, or the left-most when all are (a malformed entry ends the walk at the
     *     trusted address to its right)
     */
    public InetAddress client(InetAddress peer, List<String> forwardedFor) {
        if (!trusted.test(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(withoutPort(hops.get(i)));
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!trusted.test(client)) {
                return client;
            }
        }
        return client;
    }

    @Override
    public void customize(Connector connector, HttpConfiguration configuration, Request request) {
        if (patterns.isEmpty()) {
            return;
        }
        InetSocketAddress remote = request.getRemoteInetSocketAddress();
        if (remote == null || remote.getAddress() == null) {
            return;
        }
        List<String> forwardedFor = new ArrayList<>();
        Enumeration<String> headers = request.getHeaders(X_FORWARDED_FOR);
        while (headers.hasMoreElements()) {
            forwardedFor.add(headers.nextElement());
        }
        InetAddress client = client(remote.getAddress(), forwardedFor);
        if (!client.equals(remote.getAddress())) {
            // The client's port is not known; 0 says so rather than passing off the proxy's.
            request.setRemoteAddr(new InetSocketAddress(client, 0));
        }
    }

    /** {@code 192.0.2.1:8080} and {@code [2001:db8::1]:8080} as some proxies write them, without the port. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    /** Each part at most 255: {@code 999.1.1.1} is no literal, and would otherwise be looked up as a name. */
    private static boolean octets(String ipv4) {
        for (String part : ipv4.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An IP literal parsed without any name lookup; empty for anything else. */
    private static Optional<InetAddress> literal(String text) {
        boolean ipv4 = IPV4.matcher(text).matches();
        if (ipv4 ? !octets(text) : !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
