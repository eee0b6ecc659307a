package dev.parley.bench;

import io.netty.buffer.ByteBuf;

/**
 * What a scenario hears from its clients. Called on the client's event loop; implementations
 * must not block. Override only what you need.
 */
public interface ClientListener {

  /**
   * The namespace accepted the client (see {@link BenchClient#recovered()}); called before any
   * event of the connection.
   */
  default void onConnected(BenchClient client) {}

  /**
   * An event packet ({@code 42...}) from the server.
   *
   * @param frame the whole packet text as UTF-8 bytes; only valid during the call, and the
   *     reader index must be left where it is
   */
  default void onEvent(BenchClient client, ByteBuf frame) {}

  /**
   * The acknowledgement {@code id} of a request the client wrote itself (ids from
   * {@link BenchClient#takeAckId()}); acks awaited by {@link BenchClient#emitWithAck} do not
   * come here.
   *
   * @param frame the whole packet text as UTF-8 bytes; only valid during the call
   */
  default void onAck(BenchClient client, long id, ByteBuf frame) {}

  /** The connection closed, after or before the namespace was joined. */
  default void onClosed(BenchClient client) {}
}
