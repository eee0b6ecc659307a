package dev.parley.socketio;

/**
 * Runs before a socket joins a namespace, in the order registered with
 * {@link Namespace#use(Middleware)}. It may finish asynchronously, from any thread, by calling
 * exactly one of {@link Next#proceed()} or {@link Next#refuse(ConnectError)}. A middleware that
 * throws refuses the connection with the message {@code "server error"}.
 */
@FunctionalInterface
public interface Middleware {
  /** Decides whether {@code socket} may connect. */
  void handle(Socket socket, Next next);

  /** Continues or ends the middleware chain. */
  interface Next {
    /** Lets the next middleware run, or connects the socket after the last one. */
    void proceed();

    /** Refuses the connection with a {@code CONNECT_ERROR} carrying {@code error}. */
    void refuse(ConnectError error);
  }
}
