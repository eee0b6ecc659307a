package dev.parley.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded Socket.IO v5 packet.
 *
 * @param type one of the type constants
 * @param nsp the namespace, {@code "/"} when absent
 * @param id the acknowledgement id, or -1 for none
 * @param data the JSON payload, or null for none
 * @param attachments number of binary attachments that follow (binary types only)
 */
record SioPacket(int type, String nsp, long id, JsonNode data, int attachments) {
  static final int CONNECT = 0;
  static final int DISCONNECT = 1;
  static final int EVENT = 2;
  static final int ACK = 3;
  static final int CONNECT_ERROR = 4;
  static final int BINARY_EVENT = 5;
  static final int BINARY_ACK = 6;

  boolean hasId() {
    return id >= 0;
  }

  SioPacket withData(JsonNode newData) {
    return new SioPacket(type, nsp, id, newData, 0);
  }
}
