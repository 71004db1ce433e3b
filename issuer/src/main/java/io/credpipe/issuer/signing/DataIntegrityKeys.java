package io.credpipe.issuer.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.integrity.Ed25519Multikey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's Ed25519 keys for Data Integrity proofs ({@code eddsa-rdfc-2022}), beside the JWT
 * signing keys in the same owner-only directory: {@value #FILE} holds them as Multikeys
 * ({@code publicKeyMultibase} and {@code secretKeyMultibase}, Controlled Identifiers v1.0 §2.2.2),
 * active first; the others are retired, kept so that their proofs still verify. A first key is
 * generated when the file is absent. A key is identified by its {@code publicKeyMultibase}
 * ({@code z6Mk…}). Private keys never leave this class but to the signer, and are never logged.
 */
final class DataIntegrityKeys {

    static final String FILE = "data-integrity-keys.json";

    private static final Logger LOG = LoggerFactory.getLogger(DataIntegrityKeys.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One key: its public Multikey and its private half. */
    record Key(String publicKeyMultibase, PrivateKey privateKey) {
        @Override
        public String toString() {
            return "Key[" + publicKeyMultibase + "]";
        }
    }

    private final Path file;
    private final List<Key> keys;

    private DataIntegrityKeys(Path file, List<Key> keys) {
        this.file = file;
        this.keys = List.copyOf(keys);
    }

    /** Loads the keys in {@code directory} (which exists, owner-only), creating a first key when absent. */
    static DataIntegrityKeys loadOrCreate(Path directory) throws IOException {
        boolean posix = OwnerOnlyFiles.posix(directory);
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            Key first = generate();
            write(file, List.of(first), posix);
            LOG.info("generated the Ed25519 Data Integrity key {} in {}", first.publicKeyMultibase(), directory);
        }
        OwnerOnlyFiles.requireOwnerOnly(file, posix);
        return new DataIntegrityKeys(file, read(file));
    }

    /** A new active key; the previous ones stay, retired but published. */
    DataIntegrityKeys rotate() throws IOException {
        Key added = generate();
        List<Key> rotated = new ArrayList<>();
        rotated.add(added);
        rotated.addAll(keys);
        write(file, rotated, OwnerOnlyFiles.posix(file));
        LOG.info("generated the Ed25519 Data Integrity key {}; {} retired keys stay published",
                added.publicKeyMultibase(), keys.size());
        return new DataIntegrityKeys(file, rotated);
    }

    Key active() {
        return keys.get(0);
    }

    /** Every public key, active first. */
    List<String> publicKeys() {
        return keys.stream().map(Key::publicKeyMultibase).toList();
    }

    private static Key generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new Key(Ed25519Multikey.publicKeyMultibase(pair.getPublic()), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    private static void write(Path file, List<Key> keys, boolean posix) throws IOException {
        ObjectNode document = JSON.createObjectNode();
        ArrayNode array = document.putArray("keys");
        for (Key key : keys) {
            ObjectNode entry = array.addObject();
            entry.put("type", "Multikey");
            entry.put("publicKeyMultibase", key.publicKeyMultibase());
            entry.put("secretKeyMultibase", Ed25519Multikey.secretKeyMultibase((EdECPrivateKey) key.privateKey()));
        }
        OwnerOnlyFiles.writeOwnerOnly(file, JSON.writeValueAsString(document), posix);
    }

    private static List<Key> read(Path file) throws IOException {
        JsonNode document;
        try {
            document = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The parser's message may quote the file, i.e. private key material: leave it out.
            throw new IllegalStateException(file + " is not JSON");
        }
        List<Key> keys = new ArrayList<>();
        for (JsonNode entry : document.path("keys")) {
            String publicKey = entry.path("publicKeyMultibase").asText("");
            PrivateKey privateKey;
            PublicKey parsedPublic;
            try {
                privateKey = Ed25519Multikey.privateKey(entry.path("secretKeyMultibase").asText(""));
                parsedPublic = Ed25519Multikey.publicKey(publicKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(file + ": key " + keys.size() + " is not an Ed25519 Multikey pair");
            }
            // A public key that is not the private key's would publish proofs nobody can verify.
            byte[] probe = "credpipe key check".getBytes(StandardCharsets.US_ASCII);
            if (!Ed25519Multikey.verify(parsedPublic, probe, Ed25519Multikey.sign(privateKey, probe))) {
                throw new IllegalStateException(file + ": key " + publicKey + " does not match its secret key");
            }
            keys.add(new Key(publicKey, privateKey));
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException(file + " holds no keys");
        }
        return keys;
    }
}
