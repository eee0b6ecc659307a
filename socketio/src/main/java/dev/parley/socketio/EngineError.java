package dev.parley.socketio;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The HTTP errors of an Engine.IO server, with the codes and messages of the reference server. */
enum EngineError {
  UNKNOWN_TRANSPORT(0, "Transport unknown", HttpResponseStatus.BAD_REQUEST),
  UNKNOWN_SID(1, "Session ID unknown", HttpResponseStatus.BAD_REQUEST),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method", HttpResponseStatus.BAD_REQUEST),
  BAD_REQUEST(3, "Bad request", HttpResponseStatus.BAD_REQUEST),
  FORBIDDEN(4, "Forbidden", HttpResponseStatus.FORBIDDEN),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", HttpResponseStatus.BAD_REQUEST),
  PAYLOAD_TOO_LARGE(3, "Payload too large", HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);

  final int code;
  final String message;
  final HttpResponseStatus status;

  EngineError(int code, String message, HttpResponseStatus status) {
    this.code = code;
    this.message = message;
    this.status = status;
  }

  String body() {
    return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
  }
}
