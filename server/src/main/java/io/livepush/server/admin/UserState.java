package io.livepush.server.admin;

/**
 * What the admin API reports about a user.
 *
 * @param connections           authenticated connections now
 * @param bannedUntilMs         new connections refused until then (epoch ms), 0 when not banned
 * @param tokensRevokedBeforeMs tokens issued before then are refused (epoch ms, a whole second), 0 when none
 */
record UserState(int connections, long bannedUntilMs, long tokensRevokedBeforeMs) {}
