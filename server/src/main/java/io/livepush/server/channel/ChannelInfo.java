package io.livepush.server.channel;

/** Where a channel stands, for the admin API: its history's ends and its presence counts. */
public record ChannelInfo(String channel, String epoch, long firstSeq, long lastSeq, long members, long subscribers) {}
