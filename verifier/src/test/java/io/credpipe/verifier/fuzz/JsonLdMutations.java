package io.credpipe.verifier.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.fuzz.Mutant.Expect;
import java.text.Normalizer;
import java.util.List;
import java.util.Random;

/**
 * Mutations of a genuine credential secured with an embedded {@code eddsa-rdfc-2022} Data Integrity
 * proof: JSON-LD context swaps, removals and {@code @vocab} tricks (which can change what terms
 * mean without changing a byte of the terms), every proof option, duplicate keys (which parsers
 * resolve differently), Unicode normalization (RDFC-1.0 hashes code points, not what a reader sees),
 * and re-signing by a key that is not the one the proof names. None of them may verify.
 */
public final class JsonLdMutations {

    static final List<String> KINDS = List.of("ld.content", "ld.context", "ld.vocab", "ld.proof.cryptosuite",
            "ld.proof.verificationMethod", "ld.proof.created", "ld.proof.proofPurpose", "ld.proof.proofValue",
            "ld.proof.shape", "ld.duplicate-key", "ld.unicode", "ld.attacker-signed", "ld.issuer-signed-invalid");

    private static final String OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

    private final Random random;
    private final SignedSeeds seeds;
    private final JsonEdits edits;
    private final boolean issuerSigns;

    /**
     * @param issuerSigns whether mutations may carry a genuine proof by the seeds' Ed25519 key over
     *                    a wrong credential (the secured document mutated must be that key's)
     */
    public JsonLdMutations(Random random, SignedSeeds seeds, boolean issuerSigns) {
        this.random = random;
        this.seeds = seeds;
        this.edits = new JsonEdits(random);
        this.issuerSigns = issuerSigns;
    }

    /** A random mutation of {@code secured}, a genuine credential with an embedded proof. */
    public Mutant mutate(ObjectNode secured) {
        String kind = KINDS.get(random.nextInt(issuerSigns ? KINDS.size() : KINDS.size() - 1));
        ObjectNode copy = secured.deepCopy();
        ObjectNode proof = (ObjectNode) copy.get("proof");
        String detail = null;
        String text = switch (kind) {
            case "ld.content" -> {
                edits.content(copy);
                yield copy.toString();
            }
            case "ld.context" -> context(copy).toString();
            case "ld.vocab" -> vocab(copy).toString();
            case "ld.proof.cryptosuite" -> {
                String[] suites = {"eddsa-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "EDDSA-RDFC-2022", "eddsa-rdfc-2022 ", ""};
                proof.put("cryptosuite", suites[random.nextInt(suites.length)]);
                yield copy.toString();
            }
            case "ld.proof.verificationMethod" -> {
                String attacker = seeds.attackerDidKey();
                String[] methods = {attacker + "#" + attacker.substring(8), seeds.didKey, seeds.didKey + "#key-1",
                        seeds.method + "x", "https://credentials.example.com/issuer#key-1", seeds.method.toUpperCase(java.util.Locale.ROOT)};
                proof.put("verificationMethod", methods[random.nextInt(methods.length)]);
                yield copy.toString();
            }
            case "ld.proof.created" -> {
                String[] created = {"2026-06-01T00:00:01Z", "2026-05-31T23:59:59Z", "2031-01-01T00:00:00Z", "2026-06-01T00:00:00",
                        "2026-06-01", "yesterday"};
                proof.put("created", created[random.nextInt(created.length)]);
                yield copy.toString();
            }
            case "ld.proof.proofPurpose" -> {
                String[] purposes = {"authentication", "capabilityInvocation", "keyAgreement", "AssertionMethod", ""};
                proof.put("proofPurpose", purposes[random.nextInt(purposes.length)]);
                yield copy.toString();
            }
            case "ld.proof.proofValue" -> {
                proof.put("proofValue", proofValue(proof.get("proofValue").asText()));
                yield copy.toString();
            }
            case "ld.proof.shape" -> shape(copy, proof).toString();
            case "ld.duplicate-key" -> duplicateKey(copy);
            case "ld.unicode" -> unicode(copy);
            case "ld.attacker-signed" -> {
                ObjectNode unsecured = EddsaRdfc2022.split(copy).unsecured();
                ObjectNode original = unsecured.deepCopy();
                if (random.nextBoolean()) {
                    edits.content(unsecured);
                }
                try {
                    yield seeds.attackerProof(unsecured).toString();
                } catch (IllegalArgumentException notJsonLd) {
                    yield seeds.attackerProof(original).toString(); // an edit the bundled contexts cannot express
                }
            }
            default -> {
                ObjectNode unsecured = EddsaRdfc2022.split(copy).unsecured();
                ObjectNode original = unsecured.deepCopy();
                detail = edits.invalidating(unsecured, false);
                try {
                    yield seeds.issuerProof(unsecured).toString();
                } catch (IllegalArgumentException notJsonLd) {
                    // An edit the bundled contexts cannot express (e.g. an unknown status entry type) cannot be signed.
                    original.put("validUntil", "2026-05-21T00:00:00Z");
                    detail = "validUntil.past";
                    yield seeds.issuerProof(original).toString();
                }
            }
        };
        return new Mutant(detail == null ? kind : kind + ":" + detail, text, Expect.NOT_VERIFIED);
    }

    private ObjectNode context(ObjectNode copy) {
        ArrayNode contexts = (ArrayNode) copy.get("@context");
        switch (random.nextInt(6)) {
            case 0 -> contexts.remove(random.nextInt(contexts.size()));
            case 1 -> {
                JsonNode first = contexts.remove(0);
                contexts.add(first);
            }
            case 2 -> contexts.set(contexts.size() - 1, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json");
            case 3 -> contexts.set(contexts.size() - 1, "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json");
            case 4 -> copy.put("@context", "https://www.w3.org/ns/credentials/v2");
            default -> copy.remove("@context");
        }
        return copy;
    }

    /** Terms redefined or made to fall through to an attacker's vocabulary. */
    private ObjectNode vocab(ObjectNode copy) {
        ArrayNode contexts = (ArrayNode) copy.get("@context");
        switch (random.nextInt(4)) {
            case 0 -> contexts.addObject().put("@vocab", "https://attacker.example/vocab#");
            case 1 -> contexts.insertObject(0).put("@vocab", "https://attacker.example/vocab#");
            case 2 -> contexts.addObject().put("name", "https://attacker.example/vocab#name");
            default -> {
                contexts.addObject().putObject("credentialSubject").put("@id", "https://attacker.example/vocab#subject");
            }
        }
        return copy;
    }

    private String proofValue(String value) {
        switch (random.nextInt(5)) {
            case 0 -> {
                int at = 1 + random.nextInt(value.length() - 1);
                char c = value.charAt(at) == '2' ? '3' : '2';
                return value.substring(0, at) + c + value.substring(at + 1);
            }
            case 1 -> {
                return value.substring(0, value.length() - 1 - random.nextInt(10));
            }
            case 2 -> {
                return "u" + value.substring(1);
            }
            case 3 -> {
                return value + value.substring(1, 3);
            }
            default -> {
                return "";
            }
        }
    }

    private ObjectNode shape(ObjectNode copy, ObjectNode proof) {
        switch (random.nextInt(6)) {
            case 0 -> proof.put("type", "Ed25519Signature2020");
            case 1 -> proof.remove(List.of("cryptosuite", "verificationMethod", "proofPurpose", "created").get(random.nextInt(4)));
            case 2 -> {
                ObjectNode forged = seeds.attackerProof(forged(copy));
                copy.putArray("proof").add(proof.deepCopy()).add(forged.get("proof"));
                copy.put("name", "Forged");
            }
            case 3 -> copy.put("proof", proof.toString());
            case 4 -> proof.put("expires", "2026-05-01T00:00:00Z");
            default -> proof.put("challenge", "abc");
        }
        return copy;
    }

    private ObjectNode forged(ObjectNode copy) {
        ObjectNode unsecured = EddsaRdfc2022.split(copy).unsecured();
        unsecured.put("name", "Forged");
        return unsecured;
    }

    /** A second member of one name, before or after the genuine one: first-wins and last-wins parsers read different credentials. */
    private String duplicateKey(ObjectNode copy) {
        String text = copy.toString();
        String[][] members = {{"\"name\":", "\"name\":\"Forged\","}, {"\"issuer\":", "\"issuer\":{\"id\":\"https://attacker.example/issuer\"},"},
            {"\"validUntil\":", "\"validUntil\":\"2099-01-01T00:00:00Z\","}, {"\"proof\":", "\"proof\":{},"},
            {"\"identityHash\":", "\"identityHash\":\"Someone Else\","}, {"\"statusListIndex\":", "\"statusListIndex\":\"1\","}};
        String[] member = members[random.nextInt(members.length)];
        int at = text.indexOf(member[0]);
        if (random.nextBoolean()) {
            return text.substring(0, at) + member[1] + text.substring(at);
        }
        int end = endOfMember(text, at);
        return text.substring(0, end) + "," + member[1].substring(0, member[1].length() - 1) + text.substring(end);
    }

    /** Where the member starting at {@code at} ends: before the next top-level comma or closing brace of its object. */
    private static int endOfMember(String text, int at) {
        int depth = 0;
        boolean inString = false;
        for (int i = text.indexOf(':', at) + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return text.length();
    }

    /** Canonically equivalent or look-alike text: what people read stays, the code points change. */
    private String unicode(ObjectNode copy) {
        ObjectNode identity = (ObjectNode) copy.at("/credentialSubject/identifier/0");
        switch (random.nextInt(5)) {
            case 0 -> identity.put("identityHash", Normalizer.normalize(SignedSeeds.HOLDER, Normalizer.Form.NFD));
            case 1 -> identity.put("identityHash", SignedSeeds.HOLDER.replace("o", "\u043e")); // Cyrillic o
            case 2 -> identity.put("identityHash", SignedSeeds.HOLDER.replace(" ", "\u200b "));
            case 3 -> copy.put("name", copy.get("name").asText().replace("\u2014", "-"));
            default -> {
                ObjectNode issuer = (ObjectNode) copy.get("issuer");
                issuer.put("name", issuer.get("name").asText() + "\u202e");
            }
        }
        return copy.toString();
    }

    static ObjectNode parse(String text) {
        try {
            return (ObjectNode) TestIssuer.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
