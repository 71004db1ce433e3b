package io.credpipe.issuer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' private links over HTTP, for HR systems (any HR source's or an administrator's key):
 *
 * <ul>
 *   <li>{@code POST /v1/operators/{id}/access-links}, body optional {@code {"validFor": "P7D"}}
 *       (ISO 8601 duration, 5 minutes to 365 days; default the configured validity, 30 days): 201
 *       with {@code {"id", "url", "operatorId", "createdAt", "expiresAt"}}. The {@code url} carries
 *       the token and is shown only in this answer: give it to the operator.</li>
 *   <li>{@code DELETE /v1/operators/{id}/access-links/{linkId}}: revokes one link (204; 404 when
 *       the operator has no such link).</li>
 *   <li>{@code DELETE /v1/operators/{id}/access-links}: revokes every link of the operator (200
 *       with {@code {"revoked": n}}).</li>
 * </ul>
 *
 * <p>A link is created for any operator id, known or not, so the answer never tells whether an
 * operator exists; a link to an operator without credentials opens an empty page.
 */
public final class AccessLinkRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLinkRoutes.class);

    private final Authenticator authenticator;
    private final AccessLinks links;
    private final ObjectMapper mapper = Json.newMapper();

    public AccessLinkRoutes(Authenticator authenticator, AccessLinks links) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.links = Objects.requireNonNull(links, "links");
    }

    public void addTo(Javalin http) {
        http.post("/v1/operators/{id}/access-links", this::create);
        http.delete("/v1/operators/{id}/access-links/{linkId}", this::revoke);
        http.delete("/v1/operators/{id}/access-links", this::revokeAll);
    }

    private void create(Context ctx) throws JsonProcessingException {
        Caller caller = authenticator.caller(ctx.header("Authorization"), OperatorRecordRoutes.KEY_HINT);
        String operatorId = ctx.pathParam("id");
        Duration validFor = validFor(ctx.body());
        AccessLinks.Created created;
        try {
            created = links.create(operatorId, (caller.admin() ? "admin:" : "source:") + caller.source(), validFor);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ProblemException(Problem.of("links-unavailable", "Links temporarily unavailable", 503,
                    "the link could not be recorded; retry shortly"));
        }
        LOG.info("{} created access link {} for operator {}, open until {}", created.link().createdBy(),
                created.link().tokenHash(), operatorId, created.link().expiresAt());
        ObjectNode body = mapper.createObjectNode();
        body.put("id", created.link().tokenHash());
        body.put("url", created.url());
        body.put("operatorId", operatorId);
        body.put("createdAt", created.link().createdAt().toString());
        body.put("expiresAt", created.link().expiresAt().toString());
        ctx.status(201).header("Cache-Control", "no-store").contentType(IssuerRoutes.JSON)
                .result(mapper.writeValueAsString(body));
    }

    private Duration validFor(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("the body is not JSON");
        }
        JsonNode asked = json.path("validFor");
        if (asked.isMissingNode() || asked.isNull()) {
            return null;
        }
        try {
            return Duration.parse(asked.asText());
        } catch (DateTimeParseException e) {
            throw invalid("validFor is an ISO 8601 duration such as P7D or PT12H");
        }
    }

    private void revoke(Context ctx) {
        Caller caller = authenticator.caller(ctx.header("Authorization"), OperatorRecordRoutes.KEY_HINT);
        String operatorId = ctx.pathParam("id");
        String linkId = ctx.pathParam("linkId");
        if (!links.revoke(operatorId, linkId)) {
            throw new ProblemException(Problem.of("link-not-found", "No such link", 404,
                    "the operator has no access link with this id"));
        }
        LOG.info("{} revoked access link {} of operator {}", caller.source(), linkId, operatorId);
        ctx.status(204);
    }

    private void revokeAll(Context ctx) throws JsonProcessingException {
        Caller caller = authenticator.caller(ctx.header("Authorization"), OperatorRecordRoutes.KEY_HINT);
        String operatorId = ctx.pathParam("id");
        int revoked = links.revokeAll(operatorId);
        LOG.info("{} revoked {} access links of operator {}", caller.source(), revoked, operatorId);
        ObjectNode body = mapper.createObjectNode();
        body.put("revoked", revoked);
        ctx.contentType(IssuerRoutes.JSON).result(mapper.writeValueAsString(body));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of("invalid-link-request", "Invalid link request", 400, detail));
    }
}
