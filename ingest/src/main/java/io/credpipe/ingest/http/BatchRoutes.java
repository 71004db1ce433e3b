package io.credpipe.ingest.http;

import static io.credpipe.ingest.http.Requests.json;

import io.credpipe.ingest.intake.BatchReceipt;
import io.credpipe.ingest.intake.BatchStatus;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/batches/{id}}: what became of a batch, and whether its consequences are visible;
 * {@code GET /v1/pipeline}: each stage's lag. Both from the stages' committed consumer-group
 * positions ({@link PipelinePositions}), never by asking the stages or polling operators.
 *
 * <p>A batch is finished when the evaluator has passed, on every partition, the last offset of the
 * batch's accepted events, and the issuer has passed every decision made before the evaluator was
 * first seen past the batch: what the batch caused was decided by then, so no later decision can
 * hold it up. That first sight is remembered per batch on this instance (the last
 * {@value #REMEMBERED} batches); another instance, or this one after a restart, takes its own
 * later, which only waits longer. Any instance answers: the batch id is its receipt
 * ({@link BatchReceipt}).
 */
public final class BatchRoutes {

    /** How many batches' first sight of the evaluator past them is remembered. */
    static final int REMEMBERED = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(BatchRoutes.class);
    private static final String KEY_HINT = "an API key of an HR source or an administrator";

    private final Authenticator authenticator;
    private final PipelinePositions positions;
    private final Map<String, Map<Integer, Long>> decisionsWhenEvaluated = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<Integer, Long>> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param authenticator who may ask: any API key
     * @param positions     where the stages are
     */
    public BatchRoutes(Authenticator authenticator, PipelinePositions positions) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.positions = Objects.requireNonNull(positions, "positions");
    }

    /**
     * {@code GET /v1/batches/{id}}.
     *
     * @param ctx the request
     */
    public void batch(Context ctx) {
        authenticator.caller(ctx.header("Authorization"), KEY_HINT);
        String id = ctx.pathParam("id");
        BatchReceipt receipt = BatchReceipt.parse(id).orElseThrow(() -> new ProblemException(Problem.of(
                "batch-not-found", "No such batch", 404, "no batch has the id " + id + "; use the batch id a POST answered")));
        BatchStatus status;
        try {
            status = status(receipt);
        } catch (IllegalStateException e) {
            LOG.warn("cannot read the stages' positions for a batch: {}", e.getMessage());
            throw Requests.unavailable("the stages' positions cannot be read from Kafka now; retry shortly");
        }
        ctx.contentType("application/json").result(json(status));
    }

    private BatchStatus status(BatchReceipt receipt) {
        Set<Integer> evaluated = receipt.partitions().isEmpty() ? Set.of() : positions.evaluatorPassed(receipt.ends());
        boolean issued = false;
        if (evaluated.containsAll(receipt.partitions().keySet())) {
            Map<Integer, Long> decisions;
            synchronized (decisionsWhenEvaluated) {
                decisions = decisionsWhenEvaluated.get(receipt.id());
            }
            if (decisions == null) {
                decisions = receipt.partitions().isEmpty() ? Map.of() : positions.decisionsEnd();
                synchronized (decisionsWhenEvaluated) {
                    decisionsWhenEvaluated.putIfAbsent(receipt.id(), decisions);
                }
            }
            issued = decisions.isEmpty() || positions.issuerPassed(decisions);
        }
        return BatchStatus.of(receipt, positions.evaluatorGroup(), evaluated, positions.issuerGroup(), issued);
    }

    /**
     * {@code GET /v1/pipeline}: each stage's lag on the topics it reads.
     *
     * @param ctx the request
     */
    public void pipeline(Context ctx) {
        authenticator.caller(ctx.header("Authorization"), KEY_HINT);
        List<PipelinePositions.StageLag> lag;
        try {
            lag = positions.lag();
        } catch (IllegalStateException e) {
            LOG.warn("cannot read the stages' positions: {}", e.getMessage());
            throw Requests.unavailable("the stages' positions cannot be read from Kafka now; retry shortly");
        }
        ctx.contentType("application/json").result(json(Map.of("stages", lag)));
    }
}
