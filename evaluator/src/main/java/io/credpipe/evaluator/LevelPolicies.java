package io.credpipe.evaluator;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.credpipe.model.decision.LevelPolicy;
import io.credpipe.model.framework.FrameworkId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which {@link LevelPolicy} decides the levels of each framework: a policy per framework where one is
 * set, otherwise the fallback.
 *
 * <p>A policy file ({@link #load}) is a JSON object from framework id to policy; the key {@code "*"}
 * sets the fallback (otherwise {@link LevelPolicy#DEFAULT}):
 *
 * <pre>{@code
 * {
 *   "51-8091.00@v.26.05": {"id": "chemical-plant", "version": 2, "thresholdPercent": 80,
 *                          "cumulative": true, "evidenceValidity": "P3Y"},
 *   "*": {"id": "default", "version": 1}
 * }
 * }</pre>
 *
 * {@code id} and {@code version} are required; {@code thresholdPercent} (1–100) defaults to 100,
 * {@code cumulative} to true, and an absent {@code evidenceValidity} (an ISO 8601 period) means passes
 * never expire. Any other field is an error, so that a misspelt one is not silently ignored.
 *
 * @param fallback the policy of every framework without its own
 * @param byFramework policies set per framework
 */
public record LevelPolicies(LevelPolicy fallback, Map<FrameworkId, LevelPolicy> byFramework) {

    public LevelPolicies {
        Objects.requireNonNull(fallback, "fallback");
        byFramework = Map.copyOf(byFramework);
    }

    /** {@link LevelPolicy#DEFAULT} for every framework. */
    public static LevelPolicies defaults() {
        return new LevelPolicies(LevelPolicy.DEFAULT, Map.of());
    }

    /** The policy of one framework. */
    public LevelPolicy policyFor(FrameworkId framework) {
        return byFramework.getOrDefault(framework, fallback);
    }

    /** The key of the fallback policy in a policy file. */
    public static final String FALLBACK_KEY = "*";

    private static final Set<String> FIELDS = Set.of("id", "version", "thresholdPercent", "cumulative", "evidenceValidity");

    /**
     * Loads a policy file.
     *
     * @throws LevelPolicyFileException naming the file, the field and the reason when it cannot be read or used
     */
    public static LevelPolicies load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LevelPolicyFileException(file.toString(), "", "cannot be read: " + e, e);
        }
        return read(file.toString(), bytes);
    }

    /**
     * Reads a policy document.
     *
     * @param source names the document in errors, e.g. its file name
     * @param json the document
     * @throws LevelPolicyFileException naming the source, the field and the reason when it cannot be used
     */
    public static LevelPolicies read(String source, byte[] json) {
        JsonNode root;
        try {
            root = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build().readTree(json);
        } catch (IOException e) {
            throw new LevelPolicyFileException(source, "", "not well-formed JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new LevelPolicyFileException(source, "", "must be a JSON object from framework id to policy", null);
        }
        LevelPolicy fallback = LevelPolicy.DEFAULT;
        Map<FrameworkId, LevelPolicy> byFramework = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String pointer = "/" + entry.getKey().replace("~", "~0").replace("/", "~1");
            if (entry.getKey().equals(FALLBACK_KEY)) {
                fallback = policy(source, pointer, entry.getValue());
                continue;
            }
            FrameworkId framework = FrameworkId.parse(entry.getKey()).orElseThrow(() -> new LevelPolicyFileException(
                    source, pointer, "is not a framework id ({soc}@{version}, e.g. 51-8091.00@v.26.05) nor \""
                            + FALLBACK_KEY + "\"", null));
            byFramework.put(framework, policy(source, pointer, entry.getValue()));
        }
        return new LevelPolicies(fallback, byFramework);
    }

    private static LevelPolicy policy(String source, String pointer, JsonNode node) {
        if (!node.isObject()) {
            throw new LevelPolicyFileException(source, pointer, "must be an object with id and version", null);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!FIELDS.contains(name)) {
                throw new LevelPolicyFileException(source, pointer + "/" + name,
                        "is not a policy field (expected one of " + new TreeSet<>(FIELDS) + ")", null);
            }
        }
        JsonNode id = node.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new LevelPolicyFileException(source, pointer + "/id", "is required: a non-blank string", null);
        }
        JsonNode version = node.get("version");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
            throw new LevelPolicyFileException(source, pointer + "/version", "is required: an integer from 1", null);
        }
        int threshold = 100;
        JsonNode thresholdNode = node.get("thresholdPercent");
        if (thresholdNode != null) {
            if (!thresholdNode.isIntegralNumber() || !thresholdNode.canConvertToInt()
                    || thresholdNode.asInt() < 1 || thresholdNode.asInt() > 100) {
                throw new LevelPolicyFileException(source, pointer + "/thresholdPercent", "must be an integer from 1 to 100", null);
            }
            threshold = thresholdNode.asInt();
        }
        boolean cumulative = true;
        JsonNode cumulativeNode = node.get("cumulative");
        if (cumulativeNode != null) {
            if (!cumulativeNode.isBoolean()) {
                throw new LevelPolicyFileException(source, pointer + "/cumulative", "must be true or false", null);
            }
            cumulative = cumulativeNode.asBoolean();
        }
        Period validity = null;
        JsonNode validityNode = node.get("evidenceValidity");
        if (validityNode != null && !validityNode.isNull()) {
            String where = pointer + "/evidenceValidity";
            if (!validityNode.isTextual()) {
                throw new LevelPolicyFileException(source, where, "must be an ISO 8601 period such as P3Y or P18M", null);
            }
            try {
                validity = Period.parse(validityNode.asText());
            } catch (DateTimeParseException e) {
                throw new LevelPolicyFileException(source, where,
                        "\"" + validityNode.asText() + "\" is not an ISO 8601 period such as P3Y or P18M", e);
            }
            if (validity.isNegative() || validity.isZero()) {
                throw new LevelPolicyFileException(source, where, "must be a positive period", null);
            }
        }
        return new LevelPolicy(id.asText(), version.asInt(), threshold, cumulative, validity);
    }

    /** These policies with {@code policy} deciding {@code framework}. */
    public LevelPolicies with(FrameworkId framework, LevelPolicy policy) {
        Map<FrameworkId, LevelPolicy> copy = new HashMap<>(byFramework);
        copy.put(framework, policy);
        return new LevelPolicies(fallback, copy);
    }
}
