package io.credpipe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerPortsTest {

    @TempDir
    Path data;

    private final List<String> replaced = new ArrayList<>();

    @Test
    void aRestartBindsThePortsOfTheLastStart() {
        ListenerPorts first = ListenerPorts.keep(data, 3, replaced::add);
        ListenerPorts second = ListenerPorts.keep(data, 3, replaced::add);

        assertThat(second.controller()).isEqualTo(first.controller());
        for (int n = 1; n <= 3; n++) {
            assertThat(second.broker(n)).isEqualTo(first.broker(n));
        }
        assertThat(replaced).isEmpty();
    }

    @Test
    void theControllerAndEveryBrokerHaveTheirOwnPort() {
        ListenerPorts ports = ListenerPorts.keep(data, 3, replaced::add);

        Set<Integer> distinct = new HashSet<>(List.of(ports.controller(), ports.broker(1), ports.broker(2), ports.broker(3)));
        assertThat(distinct).hasSize(4);
    }

    @Test
    void aPortTakenSinceIsReplacedAndSaidSo() throws IOException {
        ListenerPorts first = ListenerPorts.keep(data, 1, replaced::add);
        try (ServerSocket someoneElse = new ServerSocket()) {
            someoneElse.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), first.broker(1)));

            ListenerPorts second = ListenerPorts.keep(data, 1, replaced::add);

            assertThat(second.broker(1)).isNotEqualTo(first.broker(1));
            assertThat(second.controller()).isEqualTo(first.controller());
            assertThat(replaced).singleElement().asString().contains("broker.1", Integer.toString(first.broker(1)));
        }
        assertThat(ListenerPorts.keep(data, 1, replaced::add).broker(1))
                .as("the replacement is what is recorded now").isNotEqualTo(first.broker(1));
    }

    @Test
    void anUnreadableRecordStartsAfreshAndSaysSo() throws IOException {
        Files.writeString(data.resolve(ListenerPorts.FILE), "controller=\\u12", StandardCharsets.ISO_8859_1);

        ListenerPorts ports = ListenerPorts.keep(data, 1, replaced::add);

        assertThat(ports.controller()).isPositive();
        assertThat(replaced).singleElement().asString().contains("cannot be read");
        assertThat(Files.readString(data.resolve(ListenerPorts.FILE))).contains("controller=" + ports.controller());
    }

    @Test
    void aRecordThatIsNotANumberIsReplaced() throws IOException {
        Files.writeString(data.resolve(ListenerPorts.FILE), "controller=abc\n");

        ListenerPorts ports = ListenerPorts.keep(data, 1, replaced::add);

        assertThat(ports.controller()).isPositive();
        assertThat(replaced).singleElement().asString().contains("not a number");
    }
}
