package io.credpipe.app.command;

import io.credpipe.issuer.IssuerConfig;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.SigningAlgorithm;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code credpipe keys rotate}: a new active signing key; retired keys stay published. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the issuer's signing keys.",
        subcommands = KeysCommand.Rotate.class)
public class KeysCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code credpipe keys rotate}. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Generate a new signing key and make it the active one.",
                    "The key is written under <data-dir>/keys for --signing-algorithm; in a directory without keys it is the first key, with the identifier salt secret.",
                    "Older keys, of either algorithm, stay in the JWK set and the DID document and keep verifying the credentials they signed.",
                    "A running issuer signs with the new key after its next start, which needs the same --signing-algorithm."})
    public static class Rotate implements Callable<Integer> {

        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
                description = "Where the issuer's keys live, under keys/ (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = SigningOptions.ALGORITHM, paramLabel = "ALG", defaultValue = "ES256",
                description = "Algorithm of the new key: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, "
                        + "as for `credpipe run`). RS256 keys are " + SigningAlgorithm.RSA_KEY_BITS + "-bit RSA.")
        SigningAlgorithm algorithm;

        @Option(names = "--data-integrity",
                description = "Rotate the Ed25519 key of Data Integrity proofs (eddsa-rdfc-2022) instead of the JWT signing key; older Ed25519 keys stay in the DID document.")
        boolean dataIntegrity;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (dataIntegrity) {
                IssuerKeys keys = IssuerKeys.loadOrCreate(IssuerConfig.keysDir(dataDir)).rotateDataIntegrity();
                spec.commandLine().getOut().printf("active Data Integrity key: %s (Ed25519; %d keys published)%n",
                        keys.dataIntegrityPublicKeys().get(0), keys.dataIntegrityPublicKeys().size());
                return 0;
            }
            IssuerKeys keys = IssuerKeys.addActiveKey(IssuerConfig.keysDir(dataDir), algorithm);
            spec.commandLine().getOut().printf("active signing key: %s (%s; %d keys published)%n", keys.activeKeyId(),
                    keys.activeAlgorithm(), keys.publicJwks().getKeys().size());
            return 0;
        }
    }
}
