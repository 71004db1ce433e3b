package io.credpipe.model.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON form of a {@link LevelPolicy}, shared by the evaluator's policy file and the
 * {@code levelPolicy} member of a framework export:
 *
 * <pre>{@code {"id": "chemical-plant", "version": 2, "thresholdPercent": 80, "cumulative": true, "evidenceValidity": "P3Y"}}</pre>
 *
 * {@code id} and {@code version} are required; {@code thresholdPercent} (1–100) defaults to 100,
 * {@code cumulative} to true, and an absent {@code evidenceValidity} (an ISO 8601 period) means passes
 * never expire. Any other member is an error, so that a misspelt one is not silently ignored.
 */
public final class LevelPolicyFormat {

    /**
     * The longest evidence validity a policy may set. A century outlasts any working life, so a longer
     * one means "never expires", which is said by leaving {@code evidenceValidity} out; and past it,
     * expiry dates leave the range credentials and RFC 3339 four-digit years can carry (a validity of
     * {@code P999999999Y} overflows {@code java.time} outright).
     */
    public static final int MAX_EVIDENCE_VALIDITY_YEARS = 100;

    /** The members a policy object may have. */
    public static final Set<String> FIELDS = Set.of("id", "version", "thresholdPercent", "cumulative", "evidenceValidity");

    private LevelPolicyFormat() {}

    /**
     * Reads one policy object.
     *
     * @param node the object
     * @param pointer the JSON Pointer of {@code node} in its document, for error messages
     * @throws Invalid naming the offending member and what is wrong with it
     */
    public static LevelPolicy read(JsonNode node, String pointer) throws Invalid {
        if (node == null || !node.isObject()) {
            throw new Invalid(pointer, "must be an object with id and version");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw new Invalid(pointer + "/" + field.getKey(),
                        "is not a policy field (expected one of " + new TreeSet<>(FIELDS) + ")");
            }
        }
        JsonNode id = node.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new Invalid(pointer + "/id", "is required: a non-blank string");
        }
        JsonNode version = node.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.asInt() < 1) {
            throw new Invalid(pointer + "/version", "is required: an integer from 1");
        }
        int threshold = 100;
        JsonNode thresholdNode = node.get("thresholdPercent");
        if (thresholdNode != null) {
            if (!thresholdNode.isIntegralNumber() || !thresholdNode.canConvertToInt()
                    || thresholdNode.asInt() < 1 || thresholdNode.asInt() > 100) {
                throw new Invalid(pointer + "/thresholdPercent", "must be an integer from 1 to 100");
            }
            threshold = thresholdNode.asInt();
        }
        boolean cumulative = true;
        JsonNode cumulativeNode = node.get("cumulative");
        if (cumulativeNode != null) {
            if (!cumulativeNode.isBoolean()) {
                throw new Invalid(pointer + "/cumulative", "must be true or false");
            }
            cumulative = cumulativeNode.asBoolean();
        }
        Period validity = null;
        JsonNode validityNode = node.get("evidenceValidity");
        if (validityNode != null && !validityNode.isNull()) {
            String where = pointer + "/evidenceValidity";
            if (!validityNode.isTextual()) {
                throw new Invalid(where, "must be an ISO 8601 period such as P3Y or P18M");
            }
            try {
                validity = Period.parse(validityNode.asText());
            } catch (DateTimeParseException e) {
                throw new Invalid(where, "\"" + validityNode.asText() + "\" is not an ISO 8601 period such as P3Y or P18M");
            }
            if (validity.isNegative() || validity.isZero()) {
                throw new Invalid(where, "must be a positive period");
            }
            if (!withinMaximum(validity)) {
                throw new Invalid(where, "must be at most " + MAX_EVIDENCE_VALIDITY_YEARS
                        + " years; leave evidenceValidity out for passes that never expire");
            }
        }
        return new LevelPolicy(id.asText(), version.asInt(), threshold, cumulative, validity);
    }

    /**
     * Whether a positive period is at most {@link #MAX_EVIDENCE_VALIDITY_YEARS} long, counted from a
     * leap-year start so that {@code P100Y}, {@code P1200M} and {@code P36524D} all pass. Each unit is
     * bounded alone first, so the date arithmetic cannot overflow.
     */
    private static boolean withinMaximum(Period validity) {
        long maxMonths = MAX_EVIDENCE_VALIDITY_YEARS * 12L;
        long maxDays = MAX_EVIDENCE_VALIDITY_YEARS * 366L;
        if (validity.toTotalMonths() > maxMonths || validity.getDays() > maxDays) {
            return false;
        }
        LocalDate start = LocalDate.of(2000, 1, 1);
        return !start.plus(validity).isAfter(start.plusYears(MAX_EVIDENCE_VALIDITY_YEARS));
    }

    /** Writes {@code policy} into {@code into}, every member explicit. */
    public static ObjectNode write(LevelPolicy policy, ObjectNode into) {
        into.put("id", policy.id());
        into.put("version", policy.version());
        into.put("thresholdPercent", policy.thresholdPercent());
        into.put("cumulative", policy.cumulative());
        if (policy.evidenceValidity() != null) {
            into.put("evidenceValidity", policy.evidenceValidity().toString());
        }
        return into;
    }

    /** A policy object that cannot be used: which member, and why. */
    public static final class Invalid extends Exception {

        private static final long serialVersionUID = 1L;

        private final String pointer;
        private final String reason;

        /**
         * @param pointer the JSON Pointer of the offending member
         * @param reason what is wrong with it
         */
        public Invalid(String pointer, String reason) {
            super(pointer + ": " + reason);
            this.pointer = pointer;
            this.reason = reason;
        }

        /** The JSON Pointer of the offending member. */
        public String pointer() {
            return pointer;
        }

        /** What is wrong with it. */
        public String reason() {
            return reason;
        }
    }
}
