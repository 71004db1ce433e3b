package io.credpipe.app.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Logs requests that failed on an unexpected error without letting anyone who can send requests
 * flood the log: the first failure of each distinct cause in an interval is logged with its stack
 * trace, the others of that interval only counted (and logged at debug, with their request ids);
 * the next trace of the cause then says how many were not traced. A cause is the innermost
 * exception's class and the frame that threw it, so one defect reached a thousand times is one
 * trace a minute, while two defects are two.
 *
 * <p>Thread-safe.
 */
final class FailureLog {

    /** How often each distinct cause is logged with its stack trace. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    /** More distinct causes than this in one interval are not each remembered (a bound on memory). */
    static final int MAX_CAUSES = 1_000;

    /** Where the lines go; the app's is slf4j. */
    interface Sink {
        /** An error line with the exception's stack trace. */
        void trace(String line, Throwable error);

        /** A line without a trace, for a failure only counted. */
        void counted(String line);
    }

    private final Clock clock;
    private final Duration interval;
    private final Sink sink;
    private final Map<String, Window> windows = new HashMap<>();

    FailureLog(Clock clock, Duration interval, Sink sink) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Records a failed request.
     *
     * @param request e.g. {@code POST /v1/assessments}
     * @param requestId the id the client was told to quote
     * @param error what went wrong
     */
    void failed(String request, String requestId, Throwable error) {
        String cause = causeOf(error);
        Instant now = clock.instant();
        long notTraced;
        synchronized (windows) {
            Window window = windows.get(cause);
            if (window != null && now.isBefore(window.start().plus(interval))) {
                windows.put(cause, new Window(window.start(), window.notTraced() + 1));
                sink.counted("request " + request + " failed (request id " + requestId + "): " + cause
                        + ", traced at " + window.start());
                return;
            }
            if (windows.size() >= MAX_CAUSES) {
                windows.clear();
            }
            notTraced = window == null ? 0 : window.notTraced();
            windows.put(cause, new Window(now, 0));
        }
        sink.trace("request " + request + " failed (request id " + requestId + ")"
                + (notTraced == 0 ? "" : "; " + notTraced + " more failures of this cause in the previous "
                        + interval.toSeconds() + " s were counted, not traced"), error);
    }

    /** The innermost cause's class and the frame that threw it, e.g. {@code java.lang.IllegalStateException at a.B.c(B.java:12)}. */
    static String causeOf(Throwable error) {
        Throwable root = error;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 50; depth++) {
            root = root.getCause();
        }
        StackTraceElement[] frames = root.getStackTrace();
        return root.getClass().getName() + (frames.length == 0 ? "" : " at " + frames[0]);
    }

    private record Window(Instant start, long notTraced) {}
}
