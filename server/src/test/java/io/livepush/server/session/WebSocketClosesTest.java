package io.livepush.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ErrorCode;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketClosesTest {
    @Test
    void eachFatalErrorHasACloseCodeABrowserUnderstands() {
        assertThat(WebSocketCloses.status(ErrorCode.FRAME_TOO_LARGE)).isEqualTo(WebSocketCloseStatus.MESSAGE_TOO_BIG);
        assertThat(WebSocketCloses.status(ErrorCode.MALFORMED_FRAME))
                .isEqualTo(WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
        assertThat(WebSocketCloses.status(ErrorCode.TOKEN_EXPIRED)).isEqualTo(WebSocketCloseStatus.POLICY_VIOLATION);
        assertThat(WebSocketCloses.status(ErrorCode.NOT_CONNECTED)).isEqualTo(WebSocketCloseStatus.PROTOCOL_ERROR);
        assertThat(WebSocketCloses.status(ErrorCode.INTERNAL)).isEqualTo(WebSocketCloseStatus.INTERNAL_SERVER_ERROR);
    }

    @Test
    void theReasonIsCutToWhatACloseFrameHoldsWithoutSplittingACharacter() {
        assertThat(WebSocketCloses.reason("short")).isEqualTo("short");
        String cut = WebSocketCloses.reason("é".repeat(100)); // 2 bytes each
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
        assertThat(cut).isEqualTo("é".repeat(61));
        assertThat(WebSocketCloses.reason("😀".repeat(40)).getBytes(StandardCharsets.UTF_8))
                .hasSize(120);
    }
}
