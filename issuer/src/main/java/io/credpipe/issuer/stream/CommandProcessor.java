package io.credpipe.issuer.stream;

import io.credpipe.issuer.status.IssuedEntry;
import io.credpipe.model.credential.CredentialStatusCommand;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies manual status commands (revoke, suspend, reinstate) for one task's partition. */
final class CommandProcessor extends IssuerTaskProcessor<CredentialStatusCommand> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    CommandProcessor(Shared shared) {
        super(shared);
    }

    @Override
    public void process(Record<String, CredentialStatusCommand> record) {
        CredentialStatusCommand command = record.value();
        if (command == null) {
            return;
        }
        IssuedEntry entry = issued.get(command.credentialId());
        if (entry == null || !entry.operatorId().equals(record.key())) {
            LOG.warn("status command {} names credential {}, which operator {} does not hold here; ignored",
                    command.commandId(), command.credentialId(), record.key());
            return;
        }
        apply(command.credentialId(), entry, command.action(), record.timestamp(),
                "command " + command.commandId() + " by " + command.requestedBy() + ": " + command.reason());
    }
}
