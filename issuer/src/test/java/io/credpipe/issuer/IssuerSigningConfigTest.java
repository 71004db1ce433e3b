package io.credpipe.issuer;

import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SigningAlgorithm;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing options of {@link IssuerConfig} as the issuer service applies them. */
class IssuerSigningConfigTest {

    @TempDir
    Path temp;

    private IssuerConfig config() {
        return IssuerConfig.of("unused:9092", temp.resolve("state"), temp.resolve("data"), URLS, Fixtures.ISSUER.name());
    }

    @Test
    void defaultsAreEs256AndTypJwtForEveryExistingConstructor() {
        IssuerConfig viaFactory = config();
        IssuerConfig viaConstructor = new IssuerConfig("unused:9092", null, temp, temp, URLS, "x");

        assertThat(viaFactory.signingAlgorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(viaFactory.jwtType()).isEqualTo(JwtType.JWT);
        assertThat(viaConstructor.signingAlgorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(viaConstructor.jwtType()).isEqualTo(JwtType.JWT);
        IssuerConfig rs = viaFactory.withSigning(SigningAlgorithm.RS256, JwtType.VC_JWT);
        assertThat(rs.signingAlgorithm()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(rs.jwtType()).isEqualTo(JwtType.VC_JWT);
        assertThat(rs.withSigning(SigningAlgorithm.ES256, JwtType.JWT)).isEqualTo(viaFactory);
    }

    @Test
    void anRs256IssuerGeneratesAnRsaKeyAndIssuesRs256CredentialsWithTheConfiguredTyp() throws Exception {
        try (IssuerService service = new IssuerService(config().withSigning(SigningAlgorithm.RS256, JwtType.VC_JWT))) {
            assertThat(service.publishedKeys().jwks().getKeys()).singleElement().isInstanceOf(RSAKey.class);

            IssuedCredential credential = issueOne(service);

            JWSObject jws = JWSObject.parse(credential.jwt());
            assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(jws.getHeader().getType().getType()).isEqualTo("vc+jwt");
            JWK key = service.publishedKeys().jwks().getKeyByKeyId(jws.getHeader().getKeyID());
            assertThat(jws.verify(new RSASSAVerifier(key.toRSAKey()))).isTrue();
        }
        assertThat(Files.getPosixFilePermissions(config().keysDir().resolve(IssuerKeys.KEY_SET_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void anActiveKeyOfTheOtherAlgorithmIsRefusedUntilTheKeysAreRotated() throws Exception {
        new IssuerService(config()).close();

        assertThatThrownBy(() -> new IssuerService(config().withSigning(SigningAlgorithm.RS256, JwtType.JWT)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is an ES256 key")
                .hasMessageContaining("credpipe keys rotate --signing-algorithm RS256");

        IssuerKeys.loadOrCreate(config().keysDir()).rotate(SigningAlgorithm.RS256);
        try (IssuerService service = new IssuerService(config().withSigning(SigningAlgorithm.RS256, JwtType.JWT))) {
            assertThat(service.publishedKeys().jwks().getKeys()).extracting(jwk -> jwk.getKeyType().getValue())
                    .containsExactly("RSA", "EC");
            assertThat(JWSObject.parse(issueOne(service).jwt()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        }
    }

    private IssuedCredential issueOne(IssuerService service) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "issuer-signing-config-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("driver-state").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(service.topology(), properties)) {
            TestInputTopic<String, Framework> frameworks = driver.createInputTopic(Topics.FRAMEWORKS.name(),
                    Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer());
            TestInputTopic<String, LevelDecision> achievements = driver.createInputTopic(Topics.ACHIEVEMENTS.name(),
                    Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer());
            SeedFrameworks.load().forEach(framework -> frameworks.pipeInput(framework.id().toString(), framework));
            achievements.pipeInput(DANA.id(), Fixtures.proficient(DANA));
            return driver.createOutputTopic(Topics.CREDENTIALS.name(), Topics.CREDENTIALS.keySerde().deserializer(),
                    Topics.CREDENTIALS.valueSerde().deserializer()).readValue();
        }
    }
}
