package io.credpipe.evaluator.rule;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.framework.LevelPolicyFormat;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * Each policy is a {@link LevelPolicyFormat} object: {@code id} and {@code version} are required;
 * {@code thresholdPercent} (1–100) defaults to 100, {@code cumulative} to true, and an absent
 * {@code evidenceValidity} (an ISO 8601 period) means passes never expire. Any other field is an
 * error, so that a misspelt one is not silently ignored.
 *
 * <p>A framework on the {@code frameworks} topic may carry its own policy; {@link #policyFor(Framework)}
 * says which one applies.
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

    /** The policy the file gives one framework: its own entry, else the fallback. */
    public LevelPolicy policyFor(FrameworkId framework) {
        return byFramework.getOrDefault(framework, fallback);
    }

    /**
     * The effective policy of a framework, from this file and the framework's own {@code levelPolicy}
     * (published on the {@code frameworks} topic):
     * <ol>
     *   <li>only one of the file's entry for the framework and the framework's own policy is set: that one;
     *   <li>both are set: the higher version wins, whatever the policy ids;
     *   <li>equal versions: the file's, the same policy if their content agrees, a
     *       {@linkplain #conflict configuration error} when it does not;
     *   <li>neither is set: the file's fallback ({@code "*"}, else {@link LevelPolicy#DEFAULT}).
     * </ol>
     * A framework's own policy thus beats the fallback, and either side can move a framework on by
     * raising the version.
     */
    public LevelPolicy policyFor(Framework framework) {
        LevelPolicy published = framework.levelPolicy();
        LevelPolicy configured = byFramework.get(framework.id());
        if (published == null) {
            return configured != null ? configured : fallback;
        }
        if (configured == null) {
            return published;
        }
        return published.version() > configured.version() ? published : configured;
    }

    /**
     * Why the file and the framework's own policy contradict each other, if they do: the same version
     * with different content. {@link #policyFor(Framework)} then keeps the file's, so that decisions
     * stay deterministic, and the evaluator reports the conflict.
     */
    public Optional<String> conflict(Framework framework) {
        LevelPolicy published = framework.levelPolicy();
        LevelPolicy configured = byFramework.get(framework.id());
        if (published == null || configured == null || published.version() != configured.version()
                || published.equals(configured)) {
            return Optional.empty();
        }
        return Optional.of("framework " + framework.id() + " publishes level policy " + published
                + " and the policy file sets " + configured + " with the same version " + published.version()
                + "; the file's applies. Raise the version of the one that should win");
    }

    /** The key of the fallback policy in a policy file. */
    public static final String FALLBACK_KEY = "*";

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
        try {
            return LevelPolicyFormat.read(node, pointer);
        } catch (LevelPolicyFormat.Invalid e) {
            throw new LevelPolicyFileException(source, e.pointer(), e.reason(), null);
        }
    }

    /** These policies with {@code policy} deciding {@code framework}. */
    public LevelPolicies with(FrameworkId framework, LevelPolicy policy) {
        Map<FrameworkId, LevelPolicy> copy = new HashMap<>(byFramework);
        copy.put(framework, policy);
        return new LevelPolicies(fallback, copy);
    }
}
