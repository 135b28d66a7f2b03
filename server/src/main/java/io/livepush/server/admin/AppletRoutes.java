package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.server.applet.AppletIds;
import io.livepush.server.channel.ChannelNames;
import io.livepush.server.codec.StrictJson;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Set an applet's running content and read a room's applets (PROTOCOL.md semantics 5). */
final class AppletRoutes {
    private final AdminBackend backend;

    AppletRoutes(AdminBackend backend) {
        this.backend = requireNonNull(backend, "backend");
    }

    void registerOn(RouteTable routes) {
        routes.add(
                        HttpMethod.PUT,
                        "/api/v1/rooms/{}/applets/{}",
                        (req, params) -> put(req, params.get(0), params.get(1)))
                .add(HttpMethod.GET, "/api/v1/rooms/{}/applets", (req, params) -> list(params.get(0)));
    }

    private CompletableFuture<HttpReply> put(AdminRequest request, String roomName, String appletId) {
        String room = room(roomName);
        if (!AppletIds.isValid(appletId)) {
            throw JsonErrors.badRequest(AppletIds.RULE);
        }
        JsonNode body = request.json();
        ByteString content = Json.bytesOrText(body, "content");
        if (content.size() > AppletIds.MAX_CONTENT_BYTES) {
            throw new AdminException(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(),
                    "LIMIT_EXCEEDED",
                    "content: " + content.size() + " bytes (at most " + AppletIds.MAX_CONTENT_BYTES + ")");
        }
        long expectedVersion = Json.optionalLong(body, "expected_version", 0);
        if (expectedVersion < 0) {
            throw JsonErrors.badRequest("expected_version: expected an integer >= 0");
        }
        return backend.updateApplet(room, appletId, content, expectedVersion)
                .thenApply(state -> HttpReply.json(
                        HttpResponseStatus.OK,
                        StrictJson.object()
                                .put("room", state.getRoom())
                                .put("applet_id", state.getAppletId())
                                .put("version", state.getVersion())));
    }

    private CompletableFuture<HttpReply> list(String roomName) {
        String room = room(roomName);
        return backend.applets(room).thenApply(states -> HttpReply.json(HttpResponseStatus.OK, listJson(room, states)));
    }

    private static ObjectNode listJson(String room, List<AppletState> states) {
        ObjectNode body = StrictJson.object().put("room", room);
        ArrayNode applets = body.putArray("applets");
        for (AppletState a : states) {
            applets.addObject()
                    .put("applet_id", a.getAppletId())
                    .put("version", a.getVersion())
                    .put(
                            "content",
                            Base64.getEncoder().encodeToString(a.getContent().toByteArray()))
                    .put("updated_ms", a.getUpdatedMs());
        }
        return body;
    }

    private static String room(String name) {
        if (!ChannelNames.isValid(name)) {
            throw JsonErrors.badRequest("room: expected 1-128 chars of [A-Za-z0-9._:-]");
        }
        return name;
    }
}
