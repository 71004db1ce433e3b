package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.EvaluatorLedger;
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
        // One concatenation, not the prefix and then the key: keys are built several times per event.
        return operatorId.length() + ":" + operatorId + "|" + eventId;
    }

    /**
     * What follows the operator prefix of a key: for a {@link #progress} key, the framework id.
     *
     * @throws IllegalArgumentException when {@code key} is not a ledger key
     */
    public static String suffix(String key) {
        int colon = key.indexOf(':');
        int length;
        try {
            length = Integer.parseInt(key, 0, colon, 10);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a ledger key: " + key, e);
        }
        int suffix = colon + 1 + length + 1;
        if (length < 0 || suffix > key.length() || key.charAt(suffix - 1) != '|') {
            throw new IllegalArgumentException("not a ledger key: " + key);
        }
        return key.substring(suffix);
    }

    /** The key of an operator's progress in one framework. */
    public static String progress(String operatorId, FrameworkId framework) {
        return operatorId.length() + ":" + operatorId + "|" + framework.soc() + "@" + framework.version();
    }
}
