package io.credpipe.issuer.stream;

/**
 * What the issuer did since it started, for health and metrics endpoints. Counts are per process
 * and restart at zero; a task retried after a crash may count a record twice, although it issues
 * it once.
 *
 * @param issued credentials signed and forwarded
 * @param replaysIgnored achievements whose credential was already issued
 * @param levelsLost {@code LevelLost} decisions received
 * @param awaitingFramework achievements set aside because their framework had not arrived yet
 * @param statusChanges credential status changes (revocations by lost levels and manual commands)
 */
public record IssuerCounts(long issued, long replaysIgnored, long levelsLost, long awaitingFramework,
        long statusChanges) {}
