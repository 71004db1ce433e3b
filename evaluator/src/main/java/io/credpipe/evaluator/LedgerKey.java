package io.credpipe.evaluator;

import io.credpipe.model.framework.FrameworkId;

/**
 * State-store keys of the {@link EvaluatorLedger}. Operator ids and event ids are chosen by HR systems
 * and may contain any character, so the operator id is length-prefixed rather than separated: no two
 * (operator, suffix) pairs share a key, and every key of one operator starts with
 * {@link #operatorPrefix}, which serves prefix scans.
 */
public final class LedgerKey {

    private LedgerKey() {}

    /** The prefix of every key of one operator. */
    public static String operatorPrefix(String operatorId) {
        return operatorId.length() + ":" + operatorId + "|";
    }

    /** The key of one accepted event. */
    public static String event(String operatorId, String eventId) {
        return operatorPrefix(operatorId) + eventId;
    }

    /** The key of an operator's progress in one framework. */
    public static String progress(String operatorId, FrameworkId framework) {
        return operatorPrefix(operatorId) + framework;
    }
}
