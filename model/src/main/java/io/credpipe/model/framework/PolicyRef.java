package io.credpipe.model.framework;

/**
 * The policy and version a decision was made under.
 *
 * @param id the policy's name
 * @param version its version
 */
public record PolicyRef(String id, int version) {}
