package io.credpipe.evaluator.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkFormat;
import io.credpipe.model.framework.FrameworkFormatException;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.FrameworkLevel;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Occupation;
import io.credpipe.model.framework.Provenance;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Frameworks, operators and events the evaluator tests share. */
public final class TestEvents {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final String OPERATOR_ID = "acme:E1";
    public static final Operator OPERATOR = new Operator(OPERATOR_ID, "Dana Ruiz", "dana@example.com");
    public static final Assessor ASSESSOR = new Assessor("acme:S77", "Sam");

    /** A small framework: emerging 3 statements, developing 2, proficient 2, advanced 1. */
    public static final Framework SMALL = framework(new FrameworkId("11-1111.00", "t1"), 3, 2, 2, 1);

    private static final ObjectMapper MAPPER = Json.newMapper();

    private TestEvents() {}

    public static Framework framework(FrameworkId id, int... statementsPerLevel) {
        Map<Level, FrameworkLevel> levels = new EnumMap<>(Level.class);
        for (Level level : Level.values()) {
            List<Statement> statements = new ArrayList<>();
            for (int i = 1; i <= statementsPerLevel[level.ordinal()]; i++) {
                statements.add(new Statement(new StatementId(id, level, i), "Topic " + i + " — do thing " + i));
            }
            levels.put(level, new FrameworkLevel(level, level.defaultLabel(), statements));
        }
        return new Framework(id, new Occupation(id.soc(), "Test occupation", null, null, null, null), "", "", levels,
                new Provenance("1.0", null, Map.of(), null));
    }

    /** {@code framework} under another version: the same statements, with the ids of the new framework id. */
    public static Framework renamed(Framework framework, String version) {
        FrameworkFormat format = new FrameworkFormat();
        try {
            ObjectNode json = (ObjectNode) MAPPER.readTree(format.write(framework));
            ((ObjectNode) json.get("framework")).put("version", version);
            return format.read("renamed", MAPPER.writeValueAsBytes(json));
        } catch (IOException | FrameworkFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StatementId statement(Framework framework, Level level, int position) {
        return new StatementId(framework.id(), level, position);
    }

    public static StatementId small(Level level, int position) {
        return statement(SMALL, level, position);
    }

    public static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    public static AssessmentEvent pass(String eventId, Instant at, StatementId statement) {
        return AssessmentEvent.recorded(eventId, at, "hr1", OPERATOR, statement, AssessmentResult.PASS, ASSESSOR, "observation");
    }

    public static AssessmentEvent fail(String eventId, Instant at, StatementId statement) {
        return AssessmentEvent.recorded(eventId, at, "hr1", OPERATOR, statement, AssessmentResult.FAIL, ASSESSOR, "observation");
    }

    public static AssessmentEvent retract(String eventId, Instant at, String retracts, String reason) {
        return AssessmentEvent.retracted(eventId, at, "hr1", OPERATOR, retracts, reason);
    }

    public static String json(AssessmentEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(AssessmentEvent event) {
        return json(event).getBytes(StandardCharsets.UTF_8);
    }
}
