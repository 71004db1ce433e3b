package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.OperatorLink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The link store of unit and route tests: a map, as the topic follower keeps one. */
public final class InMemoryLinkStore implements OperatorLinkStore {

    public final Map<String, OperatorLink> links = new ConcurrentHashMap<>();

    @Override
    public void put(OperatorLink link) {
        links.put(link.tokenHash(), link);
    }

    @Override
    public void remove(String tokenHash) {
        links.remove(tokenHash);
    }

    @Override
    public Optional<OperatorLink> find(String tokenHash) {
        return Optional.ofNullable(links.get(tokenHash));
    }

    @Override
    public List<OperatorLink> ofOperator(String operatorId) {
        return links.values().stream().filter(link -> link.operatorId().equals(operatorId)).toList();
    }
}
