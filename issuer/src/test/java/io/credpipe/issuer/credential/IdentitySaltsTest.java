package io.credpipe.issuer.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.credential.CredentialId;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdentitySaltsTest {

    /** The secret 00 01 02 … 1f. */
    private static final byte[] SECRET = new byte[32];

    static {
        for (int i = 0; i < SECRET.length; i++) {
            SECRET[i] = (byte) i;
        }
    }

    private static final CredentialId CREDENTIAL = CredentialId.parse("7d444840-9dc0-81d4-a4e7-2bc1f5a3b6c1");

    @Test
    void saltsAndSubjectIdsAreHmacSha256OfTheSecretAsComputedElsewhere() {
        IdentitySalts salts = new IdentitySalts(SECRET);

        // Python: hmac.new(bytes(range(32)), b"7d444840-9dc0-81d4-a4e7-2bc1f5a3b6c1", hashlib.sha256).hexdigest()
        assertThat(salts.forCredential(CREDENTIAL))
                .isEqualTo("f4488720b6c8e2d293f83f70164d1d93f561c0a42f9a0e974ad7f362d2f23446");
        // The same HMAC of "subject\nacme:E1234", version and variant bits set (RFC 9562 §5.8).
        assertThat(salts.subjectId("acme:E1234")).isEqualTo("urn:uuid:7457fae4-f2e1-8b60-a1e6-20a0c05cdca9");
    }

    @Test
    void threadsSharingTheSaltsGetTheSameAnswers() throws Exception {
        IdentitySalts salts = new IdentitySalts(SECRET);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = IntStream.range(0, 2_000)
                    .mapToObj(i -> threads.submit(() -> salts.forCredential(CREDENTIAL) + salts.subjectId("op-" + (i % 7))))
                    .toList();
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).isEqualTo(
                        "f4488720b6c8e2d293f83f70164d1d93f561c0a42f9a0e974ad7f362d2f23446" + salts.subjectId("op-" + (i % 7)));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
