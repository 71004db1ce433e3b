package io.credpipe.issuer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkLevel;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.framework.Statement;
import java.util.Objects;

/**
 * The pages behind the framework, level and statement URLs credentials align to: JSON for machines
 * and HTML for people, with the same content. Every text from a framework is HTML-escaped.
 */
public final class FrameworkPages {

    private final PublicUrls urls;
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    public FrameworkPages(PublicUrls urls) {
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    /** A framework version with its levels. */
    public ObjectNode frameworkJson(Framework framework) {
        ObjectNode page = json.objectNode();
        page.put("id", urls.framework(framework.id()));
        page.put("frameworkId", framework.id().toString());
        page.put("title", framework.title());
        page.put("version", framework.version());
        page.put("occupation", framework.occupation().soc());
        page.put("description", framework.description());
        ArrayNode levels = page.putArray("levels");
        for (FrameworkLevel level : framework.levels().values()) {
            levels.add(levelJson(framework, level));
        }
        return page;
    }

    /** One level with its statements. */
    public ObjectNode levelJson(Framework framework, FrameworkLevel level) {
        ObjectNode page = json.objectNode();
        page.put("id", urls.level(framework.id(), level.level()));
        page.put("framework", urls.framework(framework.id()));
        page.put("level", level.level().id());
        page.put("label", level.label());
        ArrayNode statements = page.putArray("statements");
        level.statements().forEach(statement -> statements.add(statementJson(framework, statement)));
        return page;
    }

    /** One statement. */
    public ObjectNode statementJson(Framework framework, Statement statement) {
        ObjectNode page = json.objectNode();
        page.put("id", urls.statement(statement.id()));
        page.put("statementId", statement.id().toString());
        page.put("framework", urls.framework(framework.id()));
        page.put("level", urls.level(framework.id(), statement.level()));
        page.put("shortName", statement.shortName());
        page.put("description", statement.description());
        page.put("text", statement.text());
        return page;
    }

    /** The framework page for people. */
    public String frameworkHtml(Framework framework) {
        StringBuilder body = new StringBuilder();
        body.append("<p>").append(escape(framework.description())).append("</p>\n");
        for (FrameworkLevel level : framework.levels().values()) {
            // The rubric levels of credentials point at these anchors ({framework URL}#{level}).
            body.append("<h2 id=\"").append(level.level().id()).append("\"><a href=\"")
                    .append(escape(urls.level(framework.id(), level.level()))).append("\">")
                    .append(escape(level.label())).append("</a></h2>\n");
            statementList(body, level);
        }
        return html(framework.title() + " (" + framework.version() + ")", body.toString());
    }

    /** The level page for people. */
    public String levelHtml(Framework framework, FrameworkLevel level) {
        StringBuilder body = new StringBuilder();
        body.append("<p>Level of <a href=\"").append(escape(urls.framework(framework.id()))).append("\">")
                .append(escape(framework.title() + " (" + framework.version() + ")")).append("</a></p>\n");
        statementList(body, level);
        return html(level.label() + " — " + framework.title() + " (" + framework.version() + ")", body.toString());
    }

    /** The statement page for people. */
    public String statementHtml(Framework framework, Statement statement) {
        String body = "<p>" + escape(statement.description()) + "</p>\n<p>Statement <code>" + escape(statement.id().toString())
                + "</code> of the <a href=\"" + escape(urls.level(framework.id(), statement.level())) + "\">"
                + escape(framework.level(statement.level()).label()) + "</a> level of <a href=\""
                + escape(urls.framework(framework.id())) + "\">" + escape(framework.title() + " (" + framework.version()
                + ")") + "</a>.</p>\n";
        return html(statement.shortName(), body);
    }

    private void statementList(StringBuilder body, FrameworkLevel level) {
        body.append("<ol>\n");
        for (Statement statement : level.statements()) {
            body.append("<li><a href=\"").append(escape(urls.statement(statement.id()))).append("\"><strong>")
                    .append(escape(statement.shortName())).append("</strong></a> — ")
                    .append(escape(statement.description())).append("</li>\n");
        }
        body.append("</ol>\n");
    }

    private static String html(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    /** Escapes text for HTML element content and double-quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
