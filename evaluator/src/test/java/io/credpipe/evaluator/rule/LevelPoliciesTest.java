package io.credpipe.evaluator.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.SeedFrameworks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LevelPoliciesTest {

    private static final FrameworkId CHEMICAL = new FrameworkId("51-8091.00", "v.26.05");
    private static final FrameworkId OTHER = new FrameworkId("51-8099.00", "v.26.05");

    @TempDir
    Path dir;

    private static LevelPolicies read(String json) {
        return LevelPolicies.read("policies.json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static LevelPolicyFileException failure(String json) {
        return (LevelPolicyFileException) org.assertj.core.api.Assertions.catchThrowable(() -> read(json));
    }

    @Test
    void loadsPoliciesPerFrameworkWithDefaultsForOptionalFields() throws Exception {
        Path file = dir.resolve("policies.json");
        Files.writeString(file, """
                {
                  "51-8091.00@v.26.05": {"id": "chemical-plant", "version": 2, "thresholdPercent": 80,
                                         "cumulative": false, "evidenceValidity": "P3Y"},
                  "*": {"id": "house", "version": 5}
                }
                """);
        LevelPolicies policies = LevelPolicies.load(file);

        assertThat(policies.policyFor(CHEMICAL)).isEqualTo(new LevelPolicy("chemical-plant", 2, 80, false, Period.ofYears(3)));
        assertThat(policies.policyFor(OTHER)).isEqualTo(new LevelPolicy("house", 5, 100, true, null));
    }

    @Test
    void withoutAFallbackEntryOtherFrameworksGetTheDefaultPolicy() {
        LevelPolicies policies = read("{\"51-8091.00@v.26.05\": {\"id\": \"p\", \"version\": 1, \"evidenceValidity\": null}}");
        assertThat(policies.policyFor(OTHER)).isEqualTo(LevelPolicy.DEFAULT);
        assertThat(policies.policyFor(CHEMICAL).evidenceValidity()).isNull();
    }

    @Test
    void aFrameworksOwnPolicyBeatsTheFallbackAndTheHigherVersionBeatsTheOther() {
        Framework chemical = SeedFrameworks.load().get(0);
        Framework other = SeedFrameworks.load().get(1);
        LevelPolicy fileV2 = new LevelPolicy("file", 2, 80, true, null);
        LevelPolicies policies = new LevelPolicies(new LevelPolicy("house", 9, 100, true, null), Map.of(chemical.id(), fileV2));

        assertThat(policies.policyFor(other).id()).as("neither: the fallback").isEqualTo("house");
        LevelPolicy topicV1 = new LevelPolicy("topic", 1, 50, false, null);
        assertThat(policies.policyFor(other.withLevelPolicy(topicV1))).as("the framework's own beats any fallback version")
                .isEqualTo(topicV1);
        assertThat(policies.policyFor(chemical)).isEqualTo(fileV2);
        assertThat(policies.policyFor(chemical.withLevelPolicy(topicV1))).isEqualTo(fileV2);
        LevelPolicy topicV3 = new LevelPolicy("topic", 3, 50, false, null);
        assertThat(policies.policyFor(chemical.withLevelPolicy(topicV3))).isEqualTo(topicV3);
        assertThat(policies.conflict(chemical.withLevelPolicy(topicV3))).isEmpty();
        assertThat(policies.conflict(chemical.withLevelPolicy(fileV2))).as("the same policy twice").isEmpty();
    }

    @Test
    void equalVersionsWithOtherContentAreAConflictTheFileWins() {
        Framework chemical = SeedFrameworks.load().get(0);
        LevelPolicy fileV2 = new LevelPolicy("file", 2, 80, true, null);
        LevelPolicies policies = new LevelPolicies(LevelPolicy.DEFAULT, Map.of(chemical.id(), fileV2));
        Framework published = chemical.withLevelPolicy(new LevelPolicy("file", 2, 60, true, null));

        assertThat(policies.policyFor(published)).isEqualTo(fileV2);
        assertThat(policies.conflict(published)).hasValueSatisfying(message -> assertThat(message)
                .contains(chemical.id().toString()).contains("same version 2").contains("the file's applies"));
    }

    @Test
    void errorsNameTheFileTheFieldAndTheReason() {
        assertThat(failure("{\"51-8091.00@v.26.05\": {\"id\": \"p\", \"version\": 1, \"thresholdPercent\": 0}}"))
                .satisfies(e -> {
                    assertThat(e.file()).isEqualTo("policies.json");
                    assertThat(e.pointer()).isEqualTo("/51-8091.00@v.26.05/thresholdPercent");
                    assertThat(e.getMessage()).isEqualTo(
                            "policies.json: /51-8091.00@v.26.05/thresholdPercent: must be an integer from 1 to 100");
                });
        assertThat(failure("{\"51-8091.00@v.26.05\": {\"id\": \"p\", \"version\": 1, \"evidenceValidity\": \"3 years\"}}")
                .pointer()).isEqualTo("/51-8091.00@v.26.05/evidenceValidity");
        assertThat(failure("{\"51-8091.00@v.26.05\": {\"id\": \"p\", \"version\": 1, \"evidenceValidity\": \"P0D\"}}")
                .reason()).isEqualTo("must be a positive period");
        assertThat(failure("{\"51-8091.00@v.26.05\": {\"version\": 1}}").pointer()).isEqualTo("/51-8091.00@v.26.05/id");
        assertThat(failure("{\"51-8091.00@v.26.05\": {\"id\": \"p\", \"version\": 0}}").pointer())
                .isEqualTo("/51-8091.00@v.26.05/version");
        assertThat(failure("{\"51-8091.00@v.26.05\": {\"id\": \"p\", \"version\": 1.5}}").pointer())
                .isEqualTo("/51-8091.00@v.26.05/version");
        assertThat(failure("{\"51-8091.00@v.26.05\": {\"id\": \"p\", \"version\": 1, \"cumulative\": \"yes\"}}").pointer())
                .isEqualTo("/51-8091.00@v.26.05/cumulative");
        assertThat(failure("{\"51-8091.00@v.26.05\": {\"id\": \"p\", \"version\": 1, \"treshold\": 50}}").pointer())
                .isEqualTo("/51-8091.00@v.26.05/treshold");
        assertThat(failure("{\"chemical/plant\": {\"id\": \"p\", \"version\": 1}}").pointer()).isEqualTo("/chemical~1plant");
        assertThat(failure("{\"51-8091.00@v.26.05\": []}").pointer()).isEqualTo("/51-8091.00@v.26.05");
        assertThat(failure("[]").pointer()).isEmpty();
        assertThat(failure("{\"a\": 1, \"a\": 2}").reason()).startsWith("not well-formed JSON");
    }

    @Test
    void anUnreadableFileIsNamed() {
        Path missing = dir.resolve("absent.json");
        assertThatThrownBy(() -> LevelPolicies.load(missing))
                .isInstanceOf(LevelPolicyFileException.class)
                .hasMessageStartingWith(missing + ": cannot be read");
    }
}
