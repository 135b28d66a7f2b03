package io.livepush.server.auth;

import static io.livepush.server.auth.Operation.APPLET;
import static io.livepush.server.auth.Operation.HISTORY;
import static io.livepush.server.auth.Operation.JOIN;
import static io.livepush.server.auth.Operation.PUBLISH;
import static io.livepush.server.auth.Operation.SUBSCRIBE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenClaimsTest {
    private static TokenClaims connection(Capability... caps) {
        return new TokenClaims("alice", 0, 0, List.of(caps), "", Set.of());
    }

    @Test
    void prefixPatternGrantsChannelsStartingWithThePrefix() {
        TokenClaims claims = connection(new Capability(List.of("room.*"), Set.of(JOIN, PUBLISH)));

        assertThat(claims.allows(JOIN, "room.1")).isTrue();
        assertThat(claims.allows(PUBLISH, "room.lobby.2")).isTrue();
        assertThat(claims.allows(JOIN, "roomx")).isFalse();
        assertThat(claims.allows(JOIN, "other.1")).isFalse();
        assertThat(claims.allows(HISTORY, "room.1")).isFalse();
    }

    @Test
    void starAloneGrantsEveryChannel() {
        TokenClaims claims = connection(new Capability(List.of("*"), Set.of(SUBSCRIBE)));

        assertThat(claims.allows(SUBSCRIBE, "anything")).isTrue();
        assertThat(claims.allows(PUBLISH, "anything")).isFalse();
    }

    @Test
    void exactPatternGrantsOnlyThatChannel() {
        TokenClaims claims = connection(new Capability(List.of("room.1"), Set.of(APPLET)));

        assertThat(claims.allows(APPLET, "room.1")).isTrue();
        assertThat(claims.allows(APPLET, "room.10")).isFalse();
    }

    @Test
    void anyCapabilityMayGrant() {
        TokenClaims claims = connection(
                new Capability(List.of("room.*"), Set.of(JOIN)), new Capability(List.of("news"), Set.of(SUBSCRIBE)));

        assertThat(claims.allows(JOIN, "room.1")).isTrue();
        assertThat(claims.allows(SUBSCRIBE, "news")).isTrue();
        assertThat(claims.allows(SUBSCRIBE, "room.1")).isFalse();
    }

    @Test
    void channelTokenGrantsOnlyItsChannelAndOperations() {
        TokenClaims claims = new TokenClaims("alice", 0, 0, List.of(), "room.7", Set.of(SUBSCRIBE, HISTORY));

        assertThat(claims.isChannelToken()).isTrue();
        assertThat(claims.allows(SUBSCRIBE, "room.7")).isTrue();
        assertThat(claims.allows(HISTORY, "room.7")).isTrue();
        assertThat(claims.allows(PUBLISH, "room.7")).isFalse();
        assertThat(claims.allows(SUBSCRIBE, "room.8")).isFalse();
        assertThat(claims.allows(SUBSCRIBE, "room.70")).isFalse();
    }

    @Test
    void connectionTokenMayReadItsOwnInboxOnly() {
        TokenClaims claims = connection();

        assertThat(claims.isChannelToken()).isFalse();
        assertThat(claims.allows(SUBSCRIBE, "user.alice")).isTrue();
        assertThat(claims.allows(HISTORY, "user.alice")).isTrue();
        assertThat(claims.allows(PUBLISH, "user.alice")).isFalse();
        assertThat(claims.allows(JOIN, "user.alice")).isFalse();
        assertThat(claims.allows(SUBSCRIBE, "user.bob")).isFalse();
        assertThat(claims.allows(SUBSCRIBE, "user.alice2")).isFalse();
    }

    @Test
    void channelTokenDoesNotOpenItsSubjectsInbox() {
        TokenClaims share = new TokenClaims("alice", 0, 0, List.of(), "room.7", Set.of(SUBSCRIBE, HISTORY));

        assertThat(share.allows(SUBSCRIBE, "user.alice")).isFalse();
    }

    @Test
    void aConnectionTokenSyncsItsOwnSpaceAndAChannelTokenNone() {
        assertThat(connection().allows(Operation.SYNC, "space.alice")).isTrue();
        assertThat(connection().allows(Operation.SYNC, "space.alice2")).isFalse();
        TokenClaims share = new TokenClaims("alice", 0, 0, List.of(), "room.7", Set.of(SUBSCRIBE, HISTORY));
        assertThat(share.allows(Operation.SYNC, "space.alice")).isFalse();
    }
}
