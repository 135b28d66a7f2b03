package io.livepush.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListeningProcessTest {

    @Test
    void theListeningSocketOfAPortIsFoundByItsStateAndPort() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                // 127.0.0.1:7070 connected (01), then 0.0.0.0:7070 listening (0A)
                "   0: 0100007F:1B9E 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 5551 1",
                "   1: 00000000:1B9E 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5550 1");

        assertThat(ListeningProcess.listeningInode(table, 7070)).isEqualTo("5550");
        assertThat(ListeningProcess.listeningInode(table, 7071)).isNull();
    }

    @Test
    void aPortThisProcessListensOnIsFoundAndLeftOutOfTheServers() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(ListeningProcess.of(s.getLocalPort()))
                    .hasValue(ProcessHandle.current().pid());
            assertThat(ListeningProcess.serversOn(List.of(s.getLocalPort()))).isEmpty();
        }
    }
}
