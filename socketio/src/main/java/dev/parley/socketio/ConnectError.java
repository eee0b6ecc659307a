package dev.parley.socketio;

import java.util.Objects;

/**
 * Why a connection to a namespace was refused: sent to the client as
 * {@code CONNECT_ERROR {"message": message, "data": data}}.
 *
 * @param message short reason the client sees, for example {@code "unauthorized"}
 * @param data optional extra detail serialized as JSON, or {@code null} for none
 */
public record ConnectError(String message, Object data) {
  public ConnectError {
    Objects.requireNonNull(message, "message");
  }

  /** A refusal with a message and no data. */
  public static ConnectError of(String message) {
    return new ConnectError(message, null);
  }
}
