package io.credpipe.app.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * Writes the commit marker of a transaction to one partition, as its coordinator would have: the
 * {@code WriteTxnMarkers} request (API key 27) sent to the partition's leader over a plain
 * connection. Kafka's {@code Admin} can end a transaction on a partition only by aborting it
 * ({@code abortTransaction}, the same request with the result "abort"); a transaction its
 * coordinator committed needs the commit, or the records it committed there are lost.
 *
 * <p>Version 1 of the request: it carries no transaction version, so the partition checks the
 * marker's epoch as for transaction version 0 (not lower than the producer's), which the open
 * transaction's own epoch passes; {@code Admin.abortTransaction} relies on the same. The broker
 * must let this client perform cluster actions (the embedded broker has no authorizer).
 */
final class CommitMarker {

    private static final short VERSION = 1;

    private CommitMarker() {}

    /**
     * Commits, on {@code partition} only, the transaction that {@code producerId} opened there at
     * {@code producerEpoch}.
     *
     * @param leader the partition's leader, on a PLAINTEXT listener
     * @param coordinatorEpoch the coordinator epoch the partition last saw for the producer
     * @throws IOException when the leader cannot be reached or refuses the marker
     */
    static void write(Node leader, TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch,
            Duration timeout) throws IOException {
        WriteTxnMarkersRequestData data = new WriteTxnMarkersRequestData();
        data.markers().add(new WriteTxnMarkersRequestData.WritableTxnMarker()
                .setProducerId(producerId)
                .setProducerEpoch(producerEpoch)
                .setTransactionResult(true)
                .setCoordinatorEpoch(coordinatorEpoch)
                .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic()
                        .setName(partition.topic())
                        .setPartitionIndexes(List.of(partition.partition())))));
        WriteTxnMarkersRequest request = new WriteTxnMarkersRequest.Builder(data).build(VERSION);
        RequestHeader header = new RequestHeader(ApiKeys.WRITE_TXN_MARKERS, VERSION, "credpipe-embedded-commit-marker", 1);
        ByteBuffer bytes = request.serializeWithHeader(header);

        int millis = Math.toIntExact(timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(leader.host(), leader.port()), millis);
            socket.setSoTimeout(millis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            WriteTxnMarkersResponse response = (WriteTxnMarkersResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
            Map<TopicPartition, Errors> errors = response.errorsByProducerId().get(producerId);
            Errors error = errors == null ? Errors.UNKNOWN_SERVER_ERROR : errors.getOrDefault(partition, Errors.UNKNOWN_SERVER_ERROR);
            if (error != Errors.NONE) {
                throw new IOException("the commit marker for " + partition + " was refused: " + error.name());
            }
        }
    }
}
