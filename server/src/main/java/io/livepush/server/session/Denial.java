package io.livepush.server.session;

import io.livepush.proto.v1.ErrorCode;

/** Why a request was refused. */
public record Denial(ErrorCode code, String message) {}
