package io.credpipe.model.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameworkFormatTest {

    private final FrameworkFormat format = new FrameworkFormat();

    @Test
    void writtenFrameworkReadsBackEqual() throws Exception {
        for (Framework framework : SeedFrameworks.load()) {
            Framework again = format.read("round-trip", format.write(framework));
            assertThat(again).isEqualTo(framework);
        }
    }

    @Test
    void writingASeedFileGivesBackEveryMemberOfIt() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String file : SeedFrameworks.FILES) {
            byte[] original;
            try (var in = SeedFrameworks.class.getResourceAsStream(file)) {
                original = in.readAllBytes();
            }
            byte[] written = format.write(format.read(file, original));
            assertThat(mapper.readTree(written)).as(file).isEqualTo(mapper.readTree(original));
        }
    }

    @Test
    void aLevelPolicyReadsAndWritesBack() throws Exception {
        String json = valid().replaceFirst("\\{", "{\"levelPolicy\":{\"id\":\"plant\",\"version\":3,\"thresholdPercent\":80,"
                + "\"cumulative\":false,\"evidenceValidity\":\"P3Y\"},");
        Framework framework = read(json);
        assertThat(framework.levelPolicy()).isEqualTo(
                new LevelPolicy("plant", 3, 80, false, java.time.Period.ofYears(3)));
        assertThat(format.read("again", format.write(framework))).isEqualTo(framework);
        assertThat(read(valid()).levelPolicy()).isNull();
        assertThat(read(json).withLevelPolicy(null)).isEqualTo(read(valid()));
    }

    @Test
    void anUnusableLevelPolicyIsNamedByPointer() {
        String json = valid().replaceFirst("\\{", "{\"levelPolicy\":{\"id\":\"plant\",\"version\":1,\"treshold\":80},");
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(FrameworkFormatException.class)
                .hasMessageStartingWith("bad.json: /levelPolicy/treshold: is not a policy field");
        String noVersion = valid().replaceFirst("\\{", "{\"levelPolicy\":{\"id\":\"plant\"},");
        assertThatThrownBy(() -> read(noVersion))
                .isInstanceOf(FrameworkFormatException.class)
                .hasMessage("bad.json: /levelPolicy/version: is required: an integer from 1");
    }

    @Test
    void anEvidenceValidityBeyondACenturyIsRefusedAtTheDoor() throws Exception {
        // P999999999Y overflowed java.time in the evaluator on the first pass, killing its stream thread (issue 19).
        for (String validity : new String[] {"P999999999Y", "P101Y", "P1201M", "P100Y1D", "P36600D"}) {
            String json = valid().replaceFirst("\\{",
                    "{\"levelPolicy\":{\"id\":\"p\",\"version\":1,\"evidenceValidity\":\"" + validity + "\"},");
            assertThatThrownBy(() -> read(json)).as(validity)
                    .isInstanceOf(FrameworkFormatException.class)
                    .hasMessageStartingWith("bad.json: /levelPolicy/evidenceValidity: must be at most 100 years");
        }
        for (String validity : new String[] {"P100Y", "P1200M", "P36524D", "P3Y"}) {
            String json = valid().replaceFirst("\\{",
                    "{\"levelPolicy\":{\"id\":\"p\",\"version\":1,\"evidenceValidity\":\"" + validity + "\"},");
            assertThat(read(json).levelPolicy().evidenceValidity()).as(validity).isEqualTo(java.time.Period.parse(validity));
        }
    }

    @Test
    void malformedJsonNamesFileAndPosition() {
        assertThatThrownBy(() -> read("{\"occupation\": {"))
                .isInstanceOf(FrameworkFormatException.class)
                .hasMessageStartingWith("bad.json: document: not well-formed JSON at line 1")
                .satisfies(e -> assertThat(((FrameworkFormatException) e).field()).isEmpty());
    }

    @Test
    void missingLevelIsNamed() {
        String json = valid().replace("\"advanced\":{\"statements\":[\"D — d\"]}", "\"expert\":{\"statements\":[\"D — d\"]}");
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(FrameworkFormatException.class)
                .hasMessage("bad.json: /framework/levels/expert: unknown level; levels are emerging, developing, proficient, advanced");
    }

    @Test
    void blankStatementIsNamedByPointer() {
        String json = valid().replace("[\"B — b\"]", "[\"B — b\", \"  \"]");
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(FrameworkFormatException.class)
                .hasMessage("bad.json: /framework/levels/developing/statements/1: must be a non-empty string");
    }

    @Test
    void badSocCodeIsExplained() {
        assertThatThrownBy(() -> read(valid().replace("51-8091.00", "518091")))
                .isInstanceOf(FrameworkFormatException.class)
                .hasMessageContaining("/occupation/soc: must be an O*NET-SOC code");
    }

    @Test
    void versionMustBeUsableInUrls() {
        assertThatThrownBy(() -> read(valid().replace("v.26.05", "v 26/05")))
                .isInstanceOf(FrameworkFormatException.class)
                .hasMessageContaining("/framework/version: must be 1–64 letters");
    }

    @Test
    void wrongTypeIsNamed() {
        assertThatThrownBy(() -> read(valid().replace("\"jobZone\":2", "\"jobZone\":\"two\"")))
                .isInstanceOf(FrameworkFormatException.class)
                .hasMessage("bad.json: /occupation/jobZone: must be an integer");
    }

    @Test
    void minimalFrameworkReadsWithDefaultLabels() throws Exception {
        Framework framework = read(valid());
        assertThat(framework.id()).isEqualTo(new FrameworkId("51-8091.00", "v.26.05"));
        assertThat(framework.level(Level.EMERGING).label()).isEqualTo("Emerging");
        assertThat(framework.statements(Level.DEVELOPING).get(0).shortName()).isEqualTo("B");
    }

    private Framework read(String json) throws FrameworkFormatException {
        return format.read("bad.json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String valid() {
        return "{\"occupation\":{\"soc\":\"51-8091.00\",\"title\":\"Chemical Plant and System Operators\",\"jobZone\":2},"
                + "\"framework\":{\"version\":\"v.26.05\",\"levels\":{"
                + "\"emerging\":{\"statements\":[\"A — a\"]},"
                + "\"developing\":{\"statements\":[\"B — b\"]},"
                + "\"proficient\":{\"statements\":[\"C — c\"]},"
                + "\"advanced\":{\"statements\":[\"D — d\"]}}}}";
    }
}
