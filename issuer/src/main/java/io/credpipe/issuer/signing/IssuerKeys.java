package io.credpipe.issuer.signing;

import io.credpipe.issuer.IssuerConfig;
import io.credpipe.issuer.credential.IdentitySalts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's signing keys and identifier-salt secret, kept in one directory readable by the
 * owner only.
 *
 * <ul>
 *   <li>{@value #KEY_SET_FILE}: a JWK set (RFC 7517 §5) of private keys, EC P-256 (ES256) or RSA
 *       of at least 2048 bits (RS256), each with {@code kid} = its RFC 7638 JWK thumbprint. The
 *       first key is the active one and signs; the others are retired keys, of either type, kept
 *       so that their credentials still verify. A key of the configured {@link SigningAlgorithm}
 *       is generated on first start; RSA keys are generated with
 *       {@value SigningAlgorithm#RSA_KEY_BITS} bits.</li>
 *   <li>{@value #SECRET_FILE}: 32 random bytes, base64url, the secret behind {@link IdentitySalts}.</li>
 *   <li>{@value DataIntegrityKeys#FILE}: the Ed25519 keys of Data Integrity proofs, see
 *       {@link DataIntegrityKeys}, generated on first start like the others.</li>
 * </ul>
 *
 * <p>On POSIX file systems the directory is created {@code rwx------} and each file
 * {@code rw-------}, as attributes of the creating call so that no moment exists in which they
 * are readable by others; an existing directory or file that group or others may access is
 * refused. Files are written to a temporary name and renamed, so a crash never leaves half a key.
 * Private key material is never logged: {@link #toString()} names the directory and active key only.
 */
public final class IssuerKeys {

    public static final String KEY_SET_FILE = "signing-keys.jwks.json";
    static final String SECRET_FILE = "identity-salt.secret";
    static final int SECRET_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

    private final Path directory;
    private final List<JWK> keys;
    private final IdentitySalts identitySalts;
    private final DataIntegrityKeys dataIntegrity;

    private IssuerKeys(Path directory, List<JWK> keys, IdentitySalts identitySalts, DataIntegrityKeys dataIntegrity) {
        this.directory = directory;
        this.keys = List.copyOf(keys);
        this.identitySalts = identitySalts;
        this.dataIntegrity = dataIntegrity;
    }

    /**
     * Loads the keys in {@code directory}, creating the directory, a first ES256 signing key and
     * the salt secret when absent.
     *
     * @throws IOException when the directory cannot be read or written
     * @throws IllegalStateException when existing files are unreadable as keys or too widely accessible
     */
    public static IssuerKeys loadOrCreate(Path directory) throws IOException {
        return loadOrCreate(directory, SigningAlgorithm.ES256);
    }

    /**
     * Loads the keys in {@code directory}, creating the directory, a first signing key for
     * {@code firstKeyAlgorithm} and the salt secret when absent. Existing keys are loaded as they
     * are, whatever their algorithm: {@link #requireActive(SigningAlgorithm)} tells whether the
     * active one fits.
     *
     * @throws IOException when the directory cannot be read or written
     * @throws IllegalStateException when existing files are unreadable as keys or too widely accessible
     */
    public static IssuerKeys loadOrCreate(Path directory, SigningAlgorithm firstKeyAlgorithm) throws IOException {
        Objects.requireNonNull(firstKeyAlgorithm, "firstKeyAlgorithm");
        boolean posix = OwnerOnlyFiles.posix(directory);
        OwnerOnlyFiles.createDirectory(directory, posix);
        OwnerOnlyFiles.requireOwnerOnly(directory, posix);

        Path keySetFile = directory.resolve(KEY_SET_FILE);
        if (!Files.exists(keySetFile)) {
            JWK first = firstKeyAlgorithm.generateKey();
            OwnerOnlyFiles.writeOwnerOnly(keySetFile, new JWKSet(first).toString(false), posix);
            LOG.info("generated the {} issuer signing key {} in {}", firstKeyAlgorithm, first.getKeyID(), directory);
        }
        OwnerOnlyFiles.requireOwnerOnly(keySetFile, posix);
        List<JWK> keys = readKeys(keySetFile);

        Path secretFile = directory.resolve(SECRET_FILE);
        if (!Files.exists(secretFile)) {
            byte[] secret = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            OwnerOnlyFiles.writeOwnerOnly(secretFile, Base64.getUrlEncoder().withoutPadding().encodeToString(secret), posix);
            LOG.info("generated the identifier salt secret in {}", directory);
        }
        OwnerOnlyFiles.requireOwnerOnly(secretFile, posix);
        byte[] secret;
        try {
            secret = Base64.getUrlDecoder().decode(Files.readString(secretFile, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(secretFile + " is not base64url text", e);
        }
        return new IssuerKeys(directory, keys, new IdentitySalts(secret), DataIntegrityKeys.loadOrCreate(directory));
    }

    /**
     * What {@code credpipe keys rotate} does: makes a new key for {@code algorithm} the active one,
     * as {@link #rotate(SigningAlgorithm)} does. In a directory without keys the new key is the
     * first and only one (with the salt secret, as {@link #loadOrCreate(Path, SigningAlgorithm)}
     * creates it), rather than a first key retired at once by a second.
     *
     * @return the keys with the new active key
     * @throws IOException when the directory cannot be read or written
     * @throws IllegalStateException when existing files are unreadable as keys or too widely accessible
     */
    public static IssuerKeys addActiveKey(Path directory, SigningAlgorithm algorithm) throws IOException {
        boolean none = !Files.exists(directory.resolve(KEY_SET_FILE));
        IssuerKeys keys = loadOrCreate(directory, algorithm);
        return none ? keys : keys.rotate(algorithm);
    }

    /**
     * Adds a new signing key of the active key's algorithm and makes it the active one; see
     * {@link #rotate(SigningAlgorithm)}.
     *
     * @return the keys with the new active key
     * @throws IOException when the key file cannot be written
     */
    public IssuerKeys rotate() throws IOException {
        return rotate(activeAlgorithm());
    }

    /**
     * Adds a new signing key for {@code algorithm} and makes it the active one; the previous keys,
     * of whichever algorithm, stay in the key file, retired but published, so that credentials they
     * signed still verify. A running issuer signs with the new key after its next start.
     *
     * @return the keys with the new active key
     * @throws IOException when the key file cannot be written
     */
    public IssuerKeys rotate(SigningAlgorithm algorithm) throws IOException {
        boolean posix = OwnerOnlyFiles.posix(directory);
        JWK added = algorithm.generateKey();
        List<JWK> rotated = new ArrayList<>();
        rotated.add(added);
        rotated.addAll(keys);
        OwnerOnlyFiles.writeOwnerOnly(directory.resolve(KEY_SET_FILE), new JWKSet(rotated).toString(false), posix);
        LOG.info("generated the {} issuer signing key {} in {}; {} retired keys stay published", algorithm,
                added.getKeyID(), directory, keys.size());
        return new IssuerKeys(directory, rotated, identitySalts, dataIntegrity);
    }

    /**
     * Adds a new Ed25519 key for Data Integrity proofs and makes it the active one; the previous
     * ones stay published, so that proofs they made still verify. The JWT signing keys are untouched.
     *
     * @return the keys with the new active Data Integrity key
     * @throws IOException when the key file cannot be written
     */
    public IssuerKeys rotateDataIntegrity() throws IOException {
        return new IssuerKeys(directory, keys, identitySalts, dataIntegrity.rotate());
    }

    /** The Ed25519 Data Integrity keys; package-private so that only the signer reaches the private ones. */
    DataIntegrityKeys dataIntegrity() {
        return dataIntegrity;
    }

    /** The {@code publicKeyMultibase} of every Ed25519 Data Integrity key, active first: safe to publish. */
    public List<String> dataIntegrityPublicKeys() {
        return dataIntegrity.publicKeys();
    }

    /** The directory the keys live in. */
    public Path directory() {
        return directory;
    }

    /** The RFC 7638 thumbprint of the active signing key, which is its {@code kid} in the key file. */
    public String activeKeyId() {
        return keys.get(0).getKeyID();
    }

    /** The algorithm the active key signs with. */
    public SigningAlgorithm activeAlgorithm() {
        return SigningAlgorithm.of(activeKey()).orElseThrow();
    }

    /**
     * Checks that the active key is one for {@code algorithm}, the algorithm the issuer is
     * configured with.
     *
     * <p>When it belongs to the other algorithm, e.g. after the configured algorithm changed, this
     * refuses rather than rotating on its own: every issuer instance sharing the key directory
     * would otherwise race to add a key, and a key is added only by an operator's decision
     * ({@code credpipe keys rotate}), as a change to the published keys should be.
     *
     * @return these keys
     * @throws IllegalStateException naming the command that adds a key for {@code algorithm}
     */
    public IssuerKeys requireActive(SigningAlgorithm algorithm) {
        SigningAlgorithm active = activeAlgorithm();
        if (active != algorithm) {
            throw new IllegalStateException("the active signing key " + activeKeyId() + " in " + directory
                    + " is an " + active + " key, but the issuer is configured to sign with " + algorithm
                    + ": run `credpipe keys rotate --signing-algorithm " + algorithm + dataDirOption()
                    + "` to add an active " + algorithm + " key (the " + active
                    + " keys stay published, so credentials they signed still verify), or sign with --signing-algorithm "
                    + active);
        }
        return this;
    }

    /** The {@code --data-dir} whose {@code keys} subdirectory this is (see {@link IssuerConfig#keysDir()}). */
    private String dataDirOption() {
        Path parent = directory.toAbsolutePath().getParent();
        return parent == null || !directory.getFileName().toString().equals("keys") ? "" : " --data-dir " + parent;
    }

    /** The public halves of every key, active first: safe to publish. */
    public JWKSet publicJwks() {
        return new JWKSet(keys.stream().map(JWK::toPublicJWK).toList());
    }

    /** The salts of recipient identifiers. */
    public IdentitySalts identitySalts() {
        return identitySalts;
    }

    /** The active private key; package-private so that only the signer can reach it. */
    JWK activeKey() {
        return keys.get(0);
    }

    @Override
    public String toString() {
        return "IssuerKeys[directory=" + directory + ", active=" + activeKeyId() + " (" + activeAlgorithm()
                + "), keys=" + keys.size() + "]";
    }

    private static List<JWK> readKeys(Path keySetFile) throws IOException {
        JWKSet set;
        try {
            set = JWKSet.parse(Files.readString(keySetFile, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            // The parser's message may quote the file, i.e. private key material: leave it out.
            throw new IllegalStateException(keySetFile + " is not a JWK set");
        }
        if (set.isEmpty()) {
            throw new IllegalStateException(keySetFile + " holds no keys");
        }
        List<JWK> keys = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            SigningAlgorithm algorithm = SigningAlgorithm.of(jwk).orElseThrow(() -> new IllegalStateException(
                    keySetFile + ": key " + jwk.getKeyID() + " is " + SigningAlgorithm.describe(jwk)
                            + ", neither an EC P-256 key (ES256) nor an RSA key of at least "
                            + SigningAlgorithm.MIN_RSA_KEY_BITS + " bits (RS256, RFC 7518 §3.3)"));
            if (!jwk.isPrivate()) {
                throw new IllegalStateException(keySetFile + ": key " + jwk.getKeyID() + " lacks its private part");
            }
            if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(algorithm.jwsAlgorithm().getName())) {
                // A verifier honours the key's alg (RFC 7517 §4.4): signing with another would fail there.
                throw new IllegalStateException(keySetFile + ": key " + jwk.getKeyID() + " is marked for alg "
                        + jwk.getAlgorithm() + ", but credpipe signs " + algorithm + " with " + SigningAlgorithm.describe(jwk));
            }
            String thumbprint;
            try {
                thumbprint = jwk.computeThumbprint().toString();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot compute the thumbprint of key " + jwk.getKeyID(), e);
            }
            if (!thumbprint.equals(jwk.getKeyID())) {
                throw new IllegalStateException(keySetFile + ": key " + jwk.getKeyID()
                        + " has a kid other than its RFC 7638 thumbprint " + thumbprint);
            }
            keys.add(jwk);
        }
        return keys;
    }
}
