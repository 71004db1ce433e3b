package io.credpipe.verifier.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.Verdict;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.fuzz.Mutant.Expect;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The verifier against mutations of genuine credentials and status lists (issue 19, "Fuzz the
 * verifier"): {@code credpipe.fuzz.inputs} cases (5,000 unless set; {@code -Dcredpipe.fuzz.seed=N}
 * for other ones, the seed printed so that a failure replays). Asserted for every case: no
 * mutation of signed content is verified; a status list that is not validly signed or cannot be
 * used makes the status "cannot tell", never valid; nothing throws. The counts by kind and outcome
 * are printed for docs/reliability.md.
 */
class VerifierFuzzTest {

    private static final int INPUTS = Integer.getInteger("credpipe.fuzz.inputs", 5_000);
    private static final long SEED = Long.getLong("credpipe.fuzz.seed", 20261205L);

    private final SignedSeeds seeds = new SignedSeeds();
    private final Map<URI, String> served = new HashMap<>();
    private final CredentialVerifier verifier = CredentialVerifier.builder()
            .trustedKeys(seeds.issuer.publicKeys())
            .clock(Clock.fixed(TestIssuer.NOW, ZoneOffset.UTC))
            .statusLists(url -> {
                String list = served.get(url);
                if (list == null) {
                    throw new IOException("HTTP 404 from " + url);
                }
                return list;
            })
            .build();

    private void serveGenuineLists() {
        served.clear();
        served.put(URI.create(SignedSeeds.LIST_URL), seeds.list);
        served.put(URI.create(SignedSeeds.DI_LIST_URL), seeds.diList);
    }

    @Test
    void everySeedVerifies() {
        serveGenuineLists();
        for (String seed : new String[] {seeds.es256, seeds.rs256, seeds.learnerRecord, seeds.dataIntegrity.toString()}) {
            VerificationReport report = verifier.verifyText(seed);
            assertThat(report.verified()).as(report.describe()).isTrue();
        }
    }

    @Test
    void noMutationIsVerifiedAndNoListThatCannotBeTrustedIsValid() {
        System.out.println("VerifierFuzzTest: seed " + SEED + ", " + INPUTS + " cases (-Dcredpipe.fuzz.seed / -Dcredpipe.fuzz.inputs)");
        Random random = new Random(SEED);
        JwtMutations jwt = new JwtMutations(random, seeds, true);
        JsonLdMutations ld = new JsonLdMutations(random, seeds, true);
        StatusListMutations lists = new StatusListMutations(random, seeds);
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (int i = 0; i < INPUTS; i++) {
            serveGenuineLists();
            int pick = random.nextInt(100);
            String credential;
            Mutant mutant;
            if (pick < 25) {
                mutant = jwt.mutate(seeds.es256);
                credential = mutant.text();
            } else if (pick < 35) {
                mutant = jwt.mutate(seeds.rs256);
                credential = mutant.text();
            } else if (pick < 45) {
                mutant = jwt.mutate(seeds.learnerRecord);
                mutant = new Mutant("clr." + mutant.kind(), mutant.text(), mutant.expect());
                credential = mutant.text();
            } else if (pick < 63) {
                mutant = ld.mutate(seeds.dataIntegrity);
                credential = mutant.text();
            } else if (pick < 95) {
                mutant = lists.mutate(SignedSeeds.LIST_URL, SignedSeeds.ISSUER_ID, seeds.list);
                served.put(URI.create(SignedSeeds.LIST_URL), mutant.text());
                credential = random.nextBoolean() ? seeds.es256 : seeds.learnerRecord;
            } else {
                mutant = lists.mutate(SignedSeeds.DI_LIST_URL, seeds.didKey, seeds.diList);
                mutant = new Mutant("ld." + mutant.kind(), mutant.text(), mutant.expect());
                served.put(URI.create(SignedSeeds.DI_LIST_URL), mutant.text());
                credential = seeds.dataIntegrity.toString();
            }
            VerificationReport report;
            try {
                report = verifier.verifyText(credential);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + ", case " + i + " (" + mutant.kind() + ") threw on: " + credential, e);
            }
            String outcome = report.verified() && mutant.kind().startsWith("ld.") && sameGraphAndFields(credential)
                    ? "verified: same graph and fields, other @context" : judge(report, mutant, credential, i);
            counts.computeIfAbsent(mutant.kind(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        }
        counts.forEach((kind, outcomes) -> System.out.println("  " + kind + " " + outcomes));
    }

    /** Asserts what {@code mutant} demands and names the outcome: the verdict and the first check that did not pass. */
    private static String judge(VerificationReport report, Mutant mutant, String credential, int i) {
        String where = "seed " + SEED + ", case " + i + " (" + mutant.kind() + "): " + shorten(mutant.text()) + "\n" + report.describe();
        assertThat(report.verified()).as(where).isFalse();
        Verdict verdict = Verdict.of(report);
        assertThat(verdict).as(where).isNotEqualTo(Verdict.VERIFIED);
        // A learner record's own status is its bundled credentials'.
        Check status = report.check(Check.STATUS).or(() -> report.check(Check.BUNDLED_CREDENTIALS)).orElse(null);
        if (mutant.expect() == Expect.STATUS_CANNOT_TELL) {
            assertThat(status).as(where).isNotNull();
            assertThat(status.outcome()).as(where).isEqualTo(Check.Outcome.CANNOT_TELL);
            assertThat(verdict).as(where).isEqualTo(Verdict.CANNOT_TELL);
        } else if (mutant.expect() == Expect.STATUS_REVOKED) {
            assertThat(status).as(where).isNotNull();
            assertThat(status.outcome()).as(where).isEqualTo(Check.Outcome.FAILED);
            assertThat(status.detail()).as(where).contains("revoked");
        }
        Check first = report.checks().stream().filter(c -> c.isFailed() || c.isCannotTell()).findFirst().orElseThrow();
        return verdict.id() + " at " + first.name();
    }

    /**
     * Whether a Data Integrity mutant says exactly what the seed says: the same fields but for
     * {@code @context}, and the same RDF dataset (RDFC-1.0 N-Quads) for the document and the
     * proof. An added context that defines nothing used (the VC 2.0 and OB 3.0 contexts are
     * {@code @protected}, so no term can be redefined) changes neither; the proof secures the
     * dataset (VC Data Integrity 1.0 §4.3), which did not change.
     */
    private boolean sameGraphAndFields(String text) {
        ObjectNode mutant = JsonLdMutations.parse(text);
        ObjectNode seed = seeds.dataIntegrity.deepCopy();
        io.credpipe.model.integrity.EddsaRdfc2022.Secured mine = io.credpipe.model.integrity.EddsaRdfc2022.split(mutant);
        io.credpipe.model.integrity.EddsaRdfc2022.Secured theirs = io.credpipe.model.integrity.EddsaRdfc2022.split(seed);
        ObjectNode mineProof = mine.proof().deepCopy();
        mineProof.remove("proofValue");
        ObjectNode theirProof = theirs.proof().deepCopy();
        theirProof.remove("proofValue");
        var mineHash = SignedSeeds.SUITE.hashData(mine.unsecured(), mineProof);
        var theirHash = SignedSeeds.SUITE.hashData(theirs.unsecured(), theirProof);
        mutant.remove("@context");
        seed.remove("@context");
        return mutant.equals(seed) && mineHash.canonicalDocument().equals(theirHash.canonicalDocument())
                && mineHash.canonicalProofConfig().equals(theirHash.canonicalProofConfig());
    }

    private static String shorten(String text) {
        return text.length() > 3000 ? text.substring(0, 3000) + "…" : text;
    }

    /** The DI seed is an {@link ObjectNode}; a mutant never shares it. */
    @Test
    void mutationsLeaveTheSeedsAlone() {
        String before = seeds.dataIntegrity.toString();
        Random random = new Random(SEED);
        JsonLdMutations ld = new JsonLdMutations(random, seeds, true);
        for (int i = 0; i < 50; i++) {
            ld.mutate(seeds.dataIntegrity);
        }
        assertThat(seeds.dataIntegrity.toString()).isEqualTo(before);
        ObjectNode parsed = JsonLdMutations.parse(before);
        assertThat(parsed).isEqualTo(seeds.dataIntegrity);
    }
}
