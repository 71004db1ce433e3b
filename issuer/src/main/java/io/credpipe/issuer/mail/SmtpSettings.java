package io.credpipe.issuer.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach the SMTP server: {@code smtp://[user@]host[:port]} (STARTTLS when the server offers
 * it; port 25 by default) or {@code smtps://[user@]host[:port]} (TLS from the first byte, port 465).
 * A password never comes from the command line or the URL, where process listings and shell
 * histories would show it: it is read from a file or an environment variable.
 *
 * @param secure whether TLS starts at connect ({@code smtps})
 * @param host the server
 * @param port its port
 * @param username who to log in as, or null for no login
 * @param password the password, or null
 * @param from the sender address of every mail
 */
public record SmtpSettings(boolean secure, String host, int port, String username, String password, String from) {

    /** The environment variable a password is read from when no file is named. */
    public static final String PASSWORD_VARIABLE = "CREDPIPE_SMTP_PASSWORD";

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(from, "from");
    }

    /**
     * Settings from {@code url}, the password from {@code passwordFile} when given, else from
     * {@value #PASSWORD_VARIABLE} in {@code environment}.
     *
     * @throws IllegalArgumentException when the URL is not {@code smtp://} or {@code smtps://}, or carries a password
     */
    public static SmtpSettings parse(String url, Path passwordFile, Map<String, String> environment, String from) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
            throw new IllegalArgumentException("an SMTP URL is smtp://host[:port] or smtps://host[:port]");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the SMTP URL names no host");
        }
        String username = null;
        if (uri.getRawUserInfo() != null) {
            if (uri.getRawUserInfo().contains(":")) {
                throw new IllegalArgumentException("the SMTP URL must not carry a password: use a password file or "
                        + PASSWORD_VARIABLE);
            }
            username = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
        }
        String password = null;
        if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the SMTP password file " + passwordFile, e);
            }
        } else if (environment.get(PASSWORD_VARIABLE) != null) {
            password = environment.get(PASSWORD_VARIABLE);
        }
        boolean secure = scheme.equals("smtps");
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 465 : 25;
        return new SmtpSettings(secure, uri.getHost(), port, username, password, from);
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return (secure ? "smtps://" : "smtp://") + (username == null ? "" : username + "@") + host + ":" + port;
    }
}
