package io.credpipe.model.framework;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the LER framework export format ({@code schemaVersion} 1.0): an
 * {@code occupation}, a {@code framework} with a {@code version} and four {@code levels} of
 * {@code statements}, the export's {@code sources} and {@code attribution}.
 *
 * <p>The same format is what framework admins upload and what the {@code frameworks} topic carries:
 * writing a framework that was read gives back every member of the export it came from.
 *
 * <p>One member is credpipe's own: an optional top-level {@code levelPolicy}, the policy the
 * framework's levels are decided by ({@link LevelPolicyFormat}), e.g.
 * {@code "levelPolicy": {"id": "chemical-plant", "version": 2, "thresholdPercent": 80, "evidenceValidity": "P3Y"}}.
 * Exports without it read as frameworks with no policy and are written back without it.
 */
public final class FrameworkFormat {

    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * Reads one framework.
     *
     * @param source the file name or origin, used in error messages
     * @param json the export document
     * @throws FrameworkFormatException naming the field and what is wrong with it
     */
    public Framework read(String source, byte[] json) throws FrameworkFormatException {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new FrameworkFormatException(source, "", "not well-formed JSON" + position + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new FrameworkFormatException(source, "", "must be a JSON object");
        }
        return new Reader(source).framework(root);
    }

    /** Reads one framework from a stream, e.g. a bundled resource. */
    public Framework read(String source, InputStream json) throws FrameworkFormatException {
        try {
            return read(source, json.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a framework in the export format. */
    public byte[] write(Framework framework) {
        ObjectNode root = mapper.createObjectNode();
        Provenance provenance = framework.provenance();
        putIfPresent(root, "schemaVersion", provenance.schemaVersion());
        putIfPresent(root, "exportedAt", provenance.exportedAt());
        Occupation occupation = framework.occupation();
        ObjectNode occ = root.putObject("occupation");
        occ.put("soc", occupation.soc());
        occ.put("title", occupation.title());
        putIfPresent(occ, "group", occupation.group());
        putIfPresent(occ, "sector", occupation.sector());
        if (occupation.jobZone() != null) {
            occ.put("jobZone", occupation.jobZone());
        }
        if (occupation.jobZoneInferred() != null) {
            occ.put("jobZoneInferred", occupation.jobZoneInferred());
        }
        ObjectNode fw = root.putObject("framework");
        fw.put("version", framework.version());
        fw.put("description", framework.description());
        fw.put("contextCovered", framework.contextCovered());
        ObjectNode levels = fw.putObject("levels");
        for (FrameworkLevel level : framework.levels().values()) {
            ObjectNode node = levels.putObject(level.level().id());
            node.put("label", level.label());
            ArrayNode statements = node.putArray("statements");
            level.statements().forEach(s -> statements.add(s.text()));
        }
        if (!provenance.sources().isEmpty()) {
            ObjectNode sources = root.putObject("sources");
            provenance.sources().forEach(sources::put);
        }
        putIfPresent(root, "attribution", provenance.attribution());
        if (framework.levelPolicy() != null) {
            LevelPolicyFormat.write(framework.levelPolicy(), root.putObject("levelPolicy"));
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** Walks one document, keeping the file name for every error it reports. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        Framework framework(JsonNode root) throws FrameworkFormatException {
            JsonNode occupationNode = object(root, "", "occupation");
            String soc = text(occupationNode, "/occupation", "soc");
            if (!FrameworkId.isSoc(soc)) {
                throw error("/occupation/soc", "must be an O*NET-SOC code like 51-8091.00, was \"" + soc + "\"");
            }
            Occupation occupation = new Occupation(
                    soc,
                    text(occupationNode, "/occupation", "title"),
                    optionalText(occupationNode, "/occupation", "group"),
                    optionalText(occupationNode, "/occupation", "sector"),
                    optionalInt(occupationNode, "/occupation", "jobZone"),
                    optionalBoolean(occupationNode, "/occupation", "jobZoneInferred"));

            JsonNode frameworkNode = object(root, "", "framework");
            String version = text(frameworkNode, "/framework", "version");
            if (!FrameworkId.isVersion(version)) {
                throw error("/framework/version",
                        "must be 1–64 letters, digits, '.', '_' or '-' (it becomes part of URLs), was \"" + version + "\"");
            }
            FrameworkId id = new FrameworkId(soc, version);

            JsonNode levelsNode = object(frameworkNode, "/framework", "levels");
            for (Iterator<String> names = levelsNode.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (Level.fromId(name).isEmpty()) {
                    throw error("/framework/levels/" + name, "unknown level; levels are emerging, developing, proficient, advanced");
                }
            }
            Map<Level, FrameworkLevel> levels = new EnumMap<>(Level.class);
            for (Level level : Level.values()) {
                String pointer = "/framework/levels";
                JsonNode levelNode = object(levelsNode, pointer, level.id());
                String levelPointer = pointer + "/" + level.id();
                String label = optionalText(levelNode, levelPointer, "label");
                JsonNode statementsNode = levelNode.get("statements");
                if (statementsNode == null || !statementsNode.isArray() || statementsNode.isEmpty()) {
                    throw error(levelPointer + "/statements", "must be a non-empty array of statement texts");
                }
                List<Statement> statements = new ArrayList<>();
                for (int i = 0; i < statementsNode.size(); i++) {
                    JsonNode text = statementsNode.get(i);
                    if (!text.isTextual() || text.asText().isBlank()) {
                        throw error(levelPointer + "/statements/" + i, "must be a non-empty string");
                    }
                    statements.add(new Statement(new StatementId(id, level, i + 1), text.asText().strip()));
                }
                levels.put(level, new FrameworkLevel(level, label == null ? level.defaultLabel() : label, statements));
            }

            Map<String, String> sources = new LinkedHashMap<>();
            JsonNode sourcesNode = root.get("sources");
            if (sourcesNode != null && !sourcesNode.isNull()) {
                if (!sourcesNode.isObject()) {
                    throw error("/sources", "must be an object of source names to descriptions");
                }
                for (var entries = sourcesNode.fields(); entries.hasNext(); ) {
                    var entry = entries.next();
                    if (!entry.getValue().isTextual()) {
                        throw error("/sources/" + entry.getKey(), "must be a string");
                    }
                    sources.put(entry.getKey(), entry.getValue().asText());
                }
            }
            Provenance provenance = new Provenance(
                    optionalText(root, "", "schemaVersion"),
                    optionalText(root, "", "exportedAt"),
                    sources,
                    optionalText(root, "", "attribution"));
            LevelPolicy levelPolicy = null;
            JsonNode policyNode = root.get("levelPolicy");
            if (policyNode != null && !policyNode.isNull()) {
                try {
                    levelPolicy = LevelPolicyFormat.read(policyNode, "/levelPolicy");
                } catch (LevelPolicyFormat.Invalid e) {
                    throw error(e.pointer(), e.reason());
                }
            }
            return new Framework(
                    id,
                    occupation,
                    optionalText(frameworkNode, "/framework", "description"),
                    optionalText(frameworkNode, "/framework", "contextCovered"),
                    levels,
                    provenance,
                    levelPolicy);
        }

        private JsonNode object(JsonNode parent, String pointer, String field) throws FrameworkFormatException {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                throw error(pointer + "/" + field, "is required");
            }
            if (!node.isObject()) {
                throw error(pointer + "/" + field, "must be an object");
            }
            return node;
        }

        private String text(JsonNode parent, String pointer, String field) throws FrameworkFormatException {
            String value = optionalText(parent, pointer, field);
            if (value == null || value.isBlank()) {
                throw error(pointer + "/" + field, "is required and must be a non-empty string");
            }
            return value;
        }

        private String optionalText(JsonNode parent, String pointer, String field) throws FrameworkFormatException {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                throw error(pointer + "/" + field, "must be a string");
            }
            return node.asText();
        }

        private Integer optionalInt(JsonNode parent, String pointer, String field) throws FrameworkFormatException {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isIntegralNumber()) {
                throw error(pointer + "/" + field, "must be an integer");
            }
            return node.asInt();
        }

        private Boolean optionalBoolean(JsonNode parent, String pointer, String field) throws FrameworkFormatException {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isBoolean()) {
                throw error(pointer + "/" + field, "must be true or false");
            }
            return node.asBoolean();
        }

        private FrameworkFormatException error(String pointer, String reason) {
            return new FrameworkFormatException(source, pointer, reason);
        }
    }
}
