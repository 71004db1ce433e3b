package io.credpipe.issuer.signing;

import io.credpipe.issuer.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.framework.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssuerKeysTest {

    @TempDir
    Path data;

    private Path keysDir() {
        return data.resolve("keys");
    }

    @Test
    void firstStartCreatesOwnerOnlyKeyFiles() throws Exception {
        IssuerKeys.loadOrCreate(keysDir());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir().resolve(IssuerKeys.KEY_SET_FILE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir().resolve(IssuerKeys.SECRET_FILE))))
                .isEqualTo("rw-------");
        try (var files = Files.list(keysDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(IssuerKeys.KEY_SET_FILE, IssuerKeys.SECRET_FILE, DataIntegrityKeys.FILE);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir().resolve(DataIntegrityKeys.FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void theKeyIsAnEsP256KeyIdentifiedByItsThumbprint() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(keysDir());

        ECKey key = keys.activeKey().toECKey();
        assertThat(key.getCurve()).isEqualTo(Curve.P_256);
        assertThat(key.isPrivate()).isTrue();
        assertThat(keys.activeKeyId()).isEqualTo(key.computeThumbprint().toString()).matches("[A-Za-z0-9_-]{43}");
        JWKSet stored = JWKSet.parse(Files.readString(keysDir().resolve(IssuerKeys.KEY_SET_FILE)));
        assertThat(stored.getKeys()).hasSize(1);
        assertThat(stored.getKeys().get(0).getKeyID()).isEqualTo(keys.activeKeyId());
    }

    @Test
    void restartReloadsTheSameKeyAndSecret() throws Exception {
        IssuerKeys first = IssuerKeys.loadOrCreate(keysDir());
        byte[] keyFile = Files.readAllBytes(keysDir().resolve(IssuerKeys.KEY_SET_FILE));
        CredentialId id = CredentialId.of("acme:E1", Fixtures.CHEMICAL, Level.EMERGING, 1);

        IssuerKeys second = IssuerKeys.loadOrCreate(keysDir());

        assertThat(second.activeKeyId()).isEqualTo(first.activeKeyId());
        assertThat(second.identitySalts().forCredential(id)).isEqualTo(first.identitySalts().forCredential(id));
        assertThat(Files.readAllBytes(keysDir().resolve(IssuerKeys.KEY_SET_FILE))).isEqualTo(keyFile);
    }

    @Test
    void anotherDirectoryHasAnotherKeyAndSecret() throws Exception {
        IssuerKeys one = IssuerKeys.loadOrCreate(keysDir());
        IssuerKeys other = IssuerKeys.loadOrCreate(data.resolve("other-keys"));
        CredentialId id = CredentialId.of("acme:E1", Fixtures.CHEMICAL, Level.EMERGING, 1);

        assertThat(other.activeKeyId()).isNotEqualTo(one.activeKeyId());
        assertThat(other.identitySalts().forCredential(id)).isNotEqualTo(one.identitySalts().forCredential(id));
    }

    @Test
    void publicKeysCarryNoPrivatePart() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(keysDir());
        String privateD = keys.activeKey().toECKey().getD().toString();

        JWKSet jwks = keys.publicJwks();
        assertThat(jwks.getKeys()).allSatisfy(jwk -> assertThat(jwk.isPrivate()).isFalse());
        String json = jwks.toString(false);
        assertThat(json).doesNotContain("\"d\"").doesNotContain(privateD);
        assertThat(keys.toString()).doesNotContain(privateD).contains(keys.activeKeyId());
    }

    @Test
    void publishedKeysAreNamedByUrl() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(keysDir());
        PublishedKeys published = new PublishedKeys(keys, Fixtures.URLS);

        String url = "https://credentials.example.com/keys/" + keys.activeKeyId();
        assertThat(published.activeKeyId()).isEqualTo(url);
        assertThat(published.jwks().getKeys()).extracting(JWK::getKeyID).containsExactly(url);
        assertThat(published.jwks().toString(false)).doesNotContain("\"d\"");
        assertThat(published.key(keys.activeKeyId())).hasValueSatisfying(jwk -> {
            assertThat(jwk.getKeyID()).isEqualTo(url);
            assertThat(jwk.isPrivate()).isFalse();
        });
        assertThat(published.key("no-such-key")).isEmpty();
        assertThat(published.signer().keyId()).isEqualTo(url);
    }

    @Test
    void rotationAddsAnActiveKeyAndKeepsTheOldOnesPublishedAndOwnerOnly() throws Exception {
        IssuerKeys original = IssuerKeys.loadOrCreate(keysDir());
        String first = original.activeKeyId();

        IssuerKeys rotated = original.rotate().rotate();
        IssuerKeys reloaded = IssuerKeys.loadOrCreate(keysDir());

        assertThat(rotated.activeKeyId()).isNotEqualTo(first);
        assertThat(reloaded.activeKeyId()).isEqualTo(rotated.activeKeyId());
        assertThat(reloaded.publicJwks().getKeys()).extracting(JWK::getKeyID).hasSize(3).endsWith(first)
                .startsWith(rotated.activeKeyId());
        assertThat(reloaded.identitySalts().subjectId("acme:E1")).isEqualTo(original.identitySalts().subjectId("acme:E1"));
        assertThat(Files.getPosixFilePermissions(keysDir().resolve(IssuerKeys.KEY_SET_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void addingAnActiveKeyToAnEmptyDirectoryMakesTheFirstKeyOnly() throws Exception {
        IssuerKeys first = IssuerKeys.addActiveKey(keysDir(), SigningAlgorithm.RS256);

        assertThat(first.publicJwks().getKeys()).extracting(JWK::getKeyID).containsExactly(first.activeKeyId());
        assertThat(first.activeAlgorithm()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(keysDir().resolve(IssuerKeys.SECRET_FILE)).exists();

        IssuerKeys second = IssuerKeys.addActiveKey(keysDir(), SigningAlgorithm.ES256);

        assertThat(second.activeAlgorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(IssuerKeys.loadOrCreate(keysDir()).publicJwks().getKeys()).extracting(JWK::getKeyID)
                .containsExactly(second.activeKeyId(), first.activeKeyId());
        assertThat(second.identitySalts().subjectId("acme:E1")).isEqualTo(first.identitySalts().subjectId("acme:E1"));
    }

    @Test
    void retiredKeysStayPublishedBehindTheActiveOne() throws Exception {
        IssuerKeys original = IssuerKeys.loadOrCreate(keysDir());
        ECKey retired = original.activeKey().toECKey();
        ECKey rotated = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                .keyIDFromThumbprint(true).generate();
        Path file = keysDir().resolve(IssuerKeys.KEY_SET_FILE);
        Files.writeString(file, new JWKSet(List.of(rotated, retired)).toString(false), StandardCharsets.UTF_8);

        IssuerKeys reloaded = IssuerKeys.loadOrCreate(keysDir());

        assertThat(reloaded.activeKeyId()).isEqualTo(rotated.getKeyID());
        assertThat(reloaded.publicJwks().getKeys()).extracting(JWK::getKeyID)
                .containsExactly(rotated.getKeyID(), retired.getKeyID());
    }

    @Test
    void refusesAKeyDirectoryOthersCanRead() throws Exception {
        IssuerKeys.loadOrCreate(keysDir());
        Files.setPosixFilePermissions(keysDir(), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> IssuerKeys.loadOrCreate(keysDir()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chmod 700");
    }

    @Test
    void refusesAKeyFileOthersCanRead() throws Exception {
        IssuerKeys.loadOrCreate(keysDir());
        Files.setPosixFilePermissions(keysDir().resolve(IssuerKeys.KEY_SET_FILE), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> IssuerKeys.loadOrCreate(keysDir()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chmod 600");
    }

    @Test
    void refusesAKeyWhoseKidIsNotItsThumbprint() throws Exception {
        IssuerKeys.loadOrCreate(keysDir());
        ECKey mislabelled = new ECKeyGenerator(Curve.P_256).keyID("key-1").generate();
        Files.writeString(keysDir().resolve(IssuerKeys.KEY_SET_FILE), new JWKSet(mislabelled).toString(false));

        assertThatThrownBy(() -> IssuerKeys.loadOrCreate(keysDir()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("thumbprint");
    }

    @Test
    void firstStartWithRs256CreatesAnOwnerOnly3072BitRsaKeyIdentifiedByItsThumbprint() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(keysDir(), SigningAlgorithm.RS256);

        RSAKey key = keys.activeKey().toRSAKey();
        assertThat(key.size()).isEqualTo(SigningAlgorithm.RSA_KEY_BITS).isEqualTo(3072);
        assertThat(key.isPrivate()).isTrue();
        assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(keys.activeAlgorithm()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(keys.activeKeyId()).isEqualTo(key.computeThumbprint().toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir().resolve(IssuerKeys.KEY_SET_FILE))))
                .isEqualTo("rw-------");
        assertThat(IssuerKeys.loadOrCreate(keysDir(), SigningAlgorithm.ES256).activeKeyId())
                .as("an existing key is kept whatever algorithm a later start asks for").isEqualTo(keys.activeKeyId());
    }

    @Test
    void rsaPublicKeysCarryNoPrivatePart() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(keysDir(), SigningAlgorithm.RS256);
        RSAKey key = keys.activeKey().toRSAKey();

        String json = keys.publicJwks().toString(false);

        assertThat(keys.publicJwks().getKeys()).singleElement().satisfies(jwk -> assertThat(jwk.isPrivate()).isFalse());
        for (String member : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"")) {
            assertThat(json).doesNotContain(member);
        }
        assertThat(json).doesNotContain(key.getPrivateExponent().toString())
                .contains(key.getModulus().toString());
        assertThat(keys.toString()).doesNotContain(key.getPrivateExponent().toString()).contains("RS256");
    }

    @Test
    void rotationAcrossTypesKeepsEveryRetiredKeyPublishedAndOwnerOnly() throws Exception {
        IssuerKeys es = IssuerKeys.loadOrCreate(keysDir());
        IssuerKeys rs = es.rotate(SigningAlgorithm.RS256);
        IssuerKeys esAgain = rs.rotate(SigningAlgorithm.ES256);
        IssuerKeys sameType = esAgain.rotate();

        IssuerKeys reloaded = IssuerKeys.loadOrCreate(keysDir(), SigningAlgorithm.RS256);

        assertThat(rs.activeAlgorithm()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(esAgain.activeAlgorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(sameType.activeAlgorithm()).as("rotate() keeps the active key's algorithm")
                .isEqualTo(SigningAlgorithm.ES256);
        assertThat(reloaded.activeKeyId()).isEqualTo(sameType.activeKeyId());
        assertThat(reloaded.publicJwks().getKeys()).extracting(JWK::getKeyID).containsExactly(
                sameType.activeKeyId(), esAgain.activeKeyId(), rs.activeKeyId(), es.activeKeyId());
        assertThat(reloaded.publicJwks().getKeys()).extracting(jwk -> jwk.getKeyType().getValue())
                .containsExactly("EC", "EC", "RSA", "EC");
        assertThat(reloaded.publicJwks().getKeys()).allSatisfy(jwk -> assertThat(jwk.isPrivate()).isFalse());
        assertThat(reloaded.identitySalts().subjectId("acme:E1")).isEqualTo(es.identitySalts().subjectId("acme:E1"));
        assertThat(Files.getPosixFilePermissions(keysDir().resolve(IssuerKeys.KEY_SET_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void refusesAnRsaKeyShorterThan2048Bits() throws Exception {
        IssuerKeys.loadOrCreate(keysDir());
        RSAKey weak = new RSAKeyGenerator(1024, true).keyIDFromThumbprint(true).generate();
        Files.writeString(keysDir().resolve(IssuerKeys.KEY_SET_FILE), new JWKSet(weak).toString(false));

        assertThatThrownBy(() -> IssuerKeys.loadOrCreate(keysDir()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1024-bit RSA key")
                .hasMessageContaining("RFC 7518 §3.3")
                .hasMessageNotContaining(weak.getPrivateExponent().toString());
    }

    @Test
    void refusesAKeyMarkedForAnotherAlgorithm() throws Exception {
        IssuerKeys.loadOrCreate(keysDir());
        RSAKey pss = new RSAKeyGenerator(2048).algorithm(JWSAlgorithm.PS256).keyIDFromThumbprint(true).generate();
        Files.writeString(keysDir().resolve(IssuerKeys.KEY_SET_FILE), new JWKSet(pss).toString(false));

        assertThatThrownBy(() -> IssuerKeys.loadOrCreate(keysDir()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PS256");
    }

    @Test
    void publishedRsaKeysAreNamedByUrlToo() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(keysDir()).rotate(SigningAlgorithm.RS256);
        PublishedKeys published = new PublishedKeys(keys, Fixtures.URLS);

        String url = "https://credentials.example.com/keys/" + keys.activeKeyId();
        assertThat(published.activeKeyId()).isEqualTo(url);
        assertThat(published.key(keys.activeKeyId())).hasValueSatisfying(jwk -> {
            assertThat(jwk).isInstanceOf(RSAKey.class);
            assertThat(jwk.getKeyID()).isEqualTo(url);
            assertThat(jwk.isPrivate()).isFalse();
        });
        assertThat(published.jwks().getKeys()).extracting(JWK::getKeyID)
                .allSatisfy(kid -> assertThat(kid).startsWith("https://credentials.example.com/keys/")).hasSize(2);
        assertThat(published.signer(SigningAlgorithm.RS256, JwtType.JWT).algorithm()).isEqualTo(SigningAlgorithm.RS256);
    }

    @Test
    void aSignerForTheOtherAlgorithmThanTheActiveKeyIsRefusedWithTheWayOut() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(keysDir());
        PublishedKeys published = new PublishedKeys(keys, Fixtures.URLS);

        assertThatThrownBy(() -> published.signer(SigningAlgorithm.RS256, JwtType.JWT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is an ES256 key")
                .hasMessageContaining("credpipe keys rotate --signing-algorithm RS256 --data-dir " + data.toAbsolutePath());
        assertThat(published.signer(SigningAlgorithm.ES256, JwtType.VC_JWT).type()).isEqualTo(JwtType.VC_JWT);
    }
}
