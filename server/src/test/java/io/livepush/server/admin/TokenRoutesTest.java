package io.livepush.server.admin;

import static io.livepush.server.admin.AdminServerExtension.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TokenRoutesTest {
    @RegisterExtension
    final AdminServerExtension server = new AdminServerExtension();

    @Test
    void connectionTokenCarriesTheCaps() {
        HttpResponse<String> response = server.post(
                "/api/v1/tokens",
                "{\"sub\":\"u1\",\"ttl_s\":60,\"caps\":["
                        + "{\"channels\":[\"room.*\",\"lobby\"],\"allow\":[\"join\",\"history\"]}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"token\":\"conn:u1:60\"}");
        assertThat(server.minter().lastCaps)
                .containsExactly(new Capability(List.of("room.*", "lobby"), Set.of(Operation.JOIN, Operation.HISTORY)));
    }

    @Test
    void channelTokenGrantsJustThatChannel() {
        HttpResponse<String> response = server.post(
                "/api/v1/tokens",
                "{\"sub\":\"guest\",\"ttl_s\":300,\"channel\":\"live.42\",\"allow\":[\"subscribe\",\"history\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("token").asText()).isEqualTo("chan:guest:300:live.42");
        assertThat(server.minter().lastAllow).containsExactlyInAnyOrder(Operation.SUBSCRIBE, Operation.HISTORY);
    }

    @Test
    void ttlDefaultsToAnHourAndCapsToNone() {
        HttpResponse<String> response = server.post("/api/v1/tokens", "{\"sub\":\"u1\"}");

        assertThat(json(response).get("token").asText()).isEqualTo("conn:u1:3600");
        assertThat(server.minter().lastCaps).isEmpty();
    }

    @Test
    void badTokenRequestsAre400() {
        int max = AdminServerExtension.MAX_TTL_SECONDS;
        assertBadRequest("{\"sub\":\"u1\",\"channel\":\"c\",\"allow\":[\"fly\"]}");
        assertBadRequest("{\"sub\":\"u1\",\"caps\":[{\"channels\":[\"c\"],\"allow\":[\"join\",\"teleport\"]}]}");
        assertBadRequest("{\"sub\":\"u1\",\"ttl_s\":0}");
        assertBadRequest("{\"sub\":\"u1\",\"ttl_s\":" + (max + 1) + "}");
        assertBadRequest("{\"sub\":\"u1\",\"ttl_s\":\"60\"}");
        assertBadRequest("{\"ttl_s\":60}");
        assertBadRequest("{\"sub\":\"u1\",\"channel\":\"c\",\"allow\":[\"join\"],\"caps\":[]}");
        assertBadRequest("{\"sub\":\"u1\",\"channel\":\"bad name\",\"allow\":[\"join\"]}");
        assertBadRequest("{\"sub\":\"u1\",\"caps\":[{\"channels\":[\"bad*name\"],\"allow\":[\"join\"]}]}");
        assertBadRequest("{\"sub\":\"u1\",\"caps\":{}}");
        assertThat(server.post("/api/v1/tokens", "{\"sub\":\"u1\",\"ttl_s\":" + max + "}")
                        .statusCode())
                .isEqualTo(200);
    }

    private void assertBadRequest(String body) {
        HttpResponse<String> response = server.post("/api/v1/tokens", body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(json(response).get("error").get("code").asText()).isEqualTo("BAD_REQUEST");
    }
}
