package io.credpipe.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a broker key store signed by it, made with the JDK's own
 * {@code keytool} (no certificate library is a dependency of credpipe): the CA alone goes into the
 * clients' trust store, as with a real cluster, and the broker's certificate names {@code localhost}
 * and {@code 127.0.0.1}, so the clients' host-name check (on by default) passes.
 *
 * @param brokerKeyStore the broker's PKCS12 key store (its key, its certificate, the CA)
 * @param trustStore the clients' PKCS12 trust store (the CA only)
 * @param brokerPassword the password of the broker's key store and key
 * @param trustPassword the password of the clients' trust store
 */
record TestCertificates(Path brokerKeyStore, String brokerPassword, Path trustStore, String trustPassword) {

    static TestCertificates create(Path dir, String brokerPassword, String trustPassword) throws IOException, InterruptedException {
        Path ca = dir.resolve("ca.p12");
        Path caCert = dir.resolve("ca.crt");
        Path broker = dir.resolve("broker.p12");
        Path request = dir.resolve("broker.csr");
        Path brokerCert = dir.resolve("broker.crt");
        Path trust = dir.resolve("truststore.p12");
        String[] store = {"-storetype", "PKCS12", "-storepass", brokerPassword};
        String[] trusting = {"-storetype", "PKCS12", "-storepass", trustPassword};
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=credpipe test CA", "-ext", "bc:c", "-keystore", ca.toString(), store);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-file", caCert.toString(), "-keystore", ca.toString(), store);
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-keystore", broker.toString(), store);
        keytool(dir, "-certreq", "-alias", "broker", "-file", request.toString(), "-keystore", broker.toString(), store);
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-infile", request.toString(), "-outfile", brokerCert.toString(),
                "-validity", "2", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", ca.toString(), store);
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", broker.toString(), store);
        keytool(dir, "-importcert", "-alias", "broker", "-file", brokerCert.toString(), "-keystore", broker.toString(), store);
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", trust.toString(), trusting);
        return new TestCertificates(broker, brokerPassword, trust, trustPassword);
    }

    private static void keytool(Path dir, String command, Object... arguments) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), command));
        for (Object argument : arguments) {
            if (argument instanceof String[] several) {
                line.addAll(List.of(several));
            } else {
                line.add((String) argument);
            }
        }
        Process process = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool " + command + " failed: " + output);
        }
    }
}
