package io.credpipe.verifier.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Edits of a credential (or a JWT payload, which is the credential plus its registered claims), in
 * two families: {@link #content} changes what a credential says, and so must break a signature made
 * over the original; {@link #invalidating} makes a credential wrong even when its issuer signs it
 * (dates, claims that disagree, a status entry that reads revoked or cannot be read).
 */
final class JsonEdits {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;

    JsonEdits(Random random) {
        this.random = random;
    }

    /** Changes one thing the credential says; returns the edit's name. */
    String content(ObjectNode credential) {
        ObjectNode before = credential.deepCopy();
        String edit = contentOnce(credential);
        // An edit that finds nothing to change (no validUntil to remove in a learner record) is a leaf change instead.
        return credential.equals(before) ? leaf(credential) : edit;
    }

    private String contentOnce(ObjectNode credential) {
        ObjectNode subject = credential.get("credentialSubject") instanceof ObjectNode s ? s : credential.putObject("credentialSubject");
        ArrayNode alignments = credential.at("/credentialSubject/achievement/alignment") instanceof ArrayNode a ? a : null;
        ObjectNode status = credential.get("credentialStatus") instanceof ObjectNode s ? s : null;
        switch (random.nextInt(16)) {
            case 0 -> {
                ((ObjectNode) credential.get("issuer")).put("id", "https://attacker.example/issuer");
                return "issuer";
            }
            case 1 -> {
                subject.put("id", "did:example:someone-else");
                return "credentialSubject.id";
            }
            case 2 -> {
                credential.put("validFrom", "2026-05-19T09:30:00Z");
                return "validFrom";
            }
            case 3 -> {
                credential.put("validUntil", "2039-05-20T09:30:00Z");
                return "validUntil";
            }
            case 4 -> {
                credential.remove("validUntil");
                return "validUntil.removed";
            }
            case 5 -> {
                credential.put("name", "Chemical Plant and System Operators — Advanced");
                return "name";
            }
            case 6 -> {
                if (alignments == null) {
                    return leaf(credential);
                }
                ((ObjectNode) alignments.get(random.nextInt(alignments.size()))).put("targetCode", "51-8091.00@v.26.05/advanced/1");
                return "alignment.targetCode";
            }
            case 7 -> {
                if (alignments == null) {
                    return leaf(credential);
                }
                alignments.remove(random.nextInt(alignments.size()));
                return "alignment.removed";
            }
            case 8 -> {
                if (alignments == null) {
                    return leaf(credential);
                }
                alignments.add(alignments.get(0).deepCopy());
                return "alignment.added";
            }
            case 9 -> {
                JsonNode result = credential.at("/credentialSubject/result/0");
                if (result instanceof ObjectNode r) {
                    r.put("achievedLevel", "https://credentials.example.com/frameworks/51-8091.00@v.26.05/advanced");
                    return "result.achievedLevel";
                }
                return leaf(credential);
            }
            case 10 -> {
                if (status == null) {
                    return leaf(credential);
                }
                status.put("statusListIndex", Integer.toString(SignedSeeds.INDEX + 1));
                return "status.index";
            }
            case 11 -> {
                if (status == null) {
                    return leaf(credential);
                }
                status.put("statusListCredential", "https://attacker.example/status/0");
                return "status.url";
            }
            case 12 -> {
                if (status == null) {
                    return leaf(credential);
                }
                status.put("statusPurpose", "suspension");
                return "status.purpose";
            }
            case 13 -> {
                credential.remove("credentialStatus");
                return "status.removed";
            }
            case 14 -> {
                credential.put("validFrom", "2026-05-20T09:30:00.000Z");
                return "validFrom.same-instant";
            }
            default -> {
                return leaf(credential);
            }
        }
    }

    /** Makes the credential wrong whoever signs it; {@code jwt} adds the JWT claims' own disagreements. */
    String invalidating(ObjectNode credential, boolean jwt) {
        int choices = jwt ? 16 : 10;
        ObjectNode status = (ObjectNode) credential.get("credentialStatus");
        int choice = random.nextInt(choices);
        if (status == null && choice >= 3 && choice <= 8) {
            choice = 1; // a learner record has no status entry of its own
        }
        switch (choice) {
            case 0 -> {
                credential.put("validFrom", "2030-01-01T00:00:00Z");
                return "validFrom.future";
            }
            case 1 -> {
                credential.put("validUntil", "2026-05-21T00:00:00Z");
                return "validUntil.past";
            }
            case 2 -> {
                credential.remove("credentialSubject");
                return "credentialSubject.removed";
            }
            case 3 -> {
                status.put("statusListIndex", Integer.toString(SignedSeeds.REVOKED_INDEX));
                return "status.index-revoked";
            }
            case 4 -> {
                status.put("statusListCredential", status.get("statusListCredential").asText() + "x");
                return "status.url-unknown";
            }
            case 5 -> {
                status.put("statusPurpose", "suspension");
                return "status.purpose-suspension";
            }
            case 6 -> {
                status.put("statusPurpose", "message");
                return "status.purpose-message";
            }
            case 7 -> {
                String[] indexes = {"131072", "99999999999999999999", "-1", "01", " 5", "1e3", ""};
                status.put("statusListIndex", indexes[random.nextInt(indexes.length)]);
                return "status.index-bad";
            }
            case 8 -> {
                status.put("type", "StatusList2021Entry");
                return "status.type";
            }
            case 9 -> {
                credential.set("validUntil", NODES.numberNode(1_900_000_000L));
                return "validUntil.not-a-date";
            }
            case 10 -> {
                ((ObjectNode) credential.get("issuer")).put("id", "https://attacker.example/issuer");
                return "issuer-vs-iss";
            }
            case 11 -> {
                credential.put("iss", "https://attacker.example/issuer");
                return "iss";
            }
            case 12 -> {
                credential.put("sub", "did:example:someone-else");
                return "sub";
            }
            case 13 -> {
                credential.put("jti", "urn:uuid:00000000-0000-5000-8000-000000000000");
                return "jti";
            }
            case 14 -> {
                credential.put("nbf", 1_900_000_000L);
                return "nbf.future";
            }
            default -> {
                credential.put("exp", 1_779_000_000L);
                return "exp.past";
            }
        }
    }

    /** One leaf anywhere replaced by another value of its kind. */
    String leaf(ObjectNode root) {
        List<String> pointers = new ArrayList<>();
        leaves(root, "", pointers);
        pointers.remove("/proof/proofValue");
        String pointer = pointers.get(random.nextInt(pointers.size()));
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        JsonNode leaf = root.at(pointer);
        JsonNode changed = leaf.isBoolean() ? NODES.booleanNode(!leaf.asBoolean())
                : leaf.isNumber() ? NODES.numberNode(leaf.asLong() + 1 + random.nextInt(1000))
                : new TextNode(alter(leaf.asText()));
        if (parent instanceof ObjectNode object) {
            object.set(last, changed);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), changed);
        }
        return "leaf";
    }

    private static void leaves(JsonNode node, String pointer, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> leaves(field.getValue(), pointer + "/" + field.getKey()
                    .replace("~", "~0").replace("/", "~1"), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves(node.get(i), pointer + "/" + i, out);
            }
        } else {
            out.add(pointer);
        }
    }

    /** One character changed at a random place, keeping digits digits. */
    private String alter(String text) {
        if (text.isEmpty()) {
            return "x";
        }
        int at = random.nextInt(text.length());
        char c = text.charAt(at);
        char other = Character.isDigit(c) ? (c == '9' ? '0' : (char) (c + 1)) : (c == 'a' ? 'b' : 'a');
        return text.substring(0, at) + other + text.substring(at + 1);
    }
}
