package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.RoomJoined;

/** A little of everything the metrics count, then a scrape: what the exposition tests read. */
final class MetricsTraffic {
    private MetricsTraffic() {}

    /** Connects, joins, publishes (client and API), resumes and asks the admin API, then scrapes {@code /metrics}. */
    static String driveAndScrape(PushServerExtension server, String room) throws Exception {
        AdminClient api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
        RoomJoined joined;
        try (TestClient a = server.connect(room + "-a");
                TestClient b = server.connect(room + "-b")) {
            joined = a.join(room).getJoined();
            b.join(room);
            a.publish(room, "one");
            assertThat(api.post(
                                    "/api/v1/channels/" + room + "/messages",
                                    AdminClient.object().put("kind", "chat").put("text", "two"))
                            .status())
                    .isEqualTo(200);
            b.messages(room, 2);
        }
        try (TestClient c = server.connect(room + "-c")) {
            c.join(
                    room,
                    Position.newBuilder()
                            .setEpoch(joined.getEpoch())
                            .setSeq(joined.getLastSeq())
                            .build());
            c.messages(room, 2);
        }
        assertThat(api.get("/api/v1/channels/" + room).status()).isEqualTo(200);
        AdminClient.Reply scrape = api.getWithKey("/metrics", null);
        assertThat(scrape.status()).isEqualTo(200);
        return scrape.body();
    }
}
