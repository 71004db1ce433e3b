package io.credpipe.model.event;

/**
 * A piece of evidence an assessor attached to an assessment; maps onto the Open Badges 3.0
 * {@code Evidence} class.
 *
 * @param id a URL where the evidence can be seen, optional
 * @param name a short title, optional
 * @param narrative what the evidence shows, optional
 */
public record Evidence(String id, String name, String narrative) {}
