package dev.parley.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.Message;
import dev.parley.server.chat.Room;
import dev.parley.server.chat.User;
import dev.parley.server.limits.RateLimiter;
import dev.parley.socketio.ConnectError;
import dev.parley.socketio.Namespace;
import dev.parley.socketio.RemoteSocket;
import dev.parley.socketio.Socket;
import dev.parley.socketio.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default namespace {@code /}, speaking the events of the classic Socket.IO chat tutorial so
 * its pages work unchanged: {@code join}, {@code message} ("name: text"), {@code typing},
 * {@code userList}, {@code privateMessage} and {@code loadMessages}. Its messages are stored in
 * {@code general}, so tutorial pages and the Parley app see each other's messages.
 */
public final class TutorialGateway {
  private static final Logger log = LoggerFactory.getLogger(TutorialGateway.class);
  private static final String NAME = "name";
  private static final String USER = "tutorialUser";
  /** The action of the socket's latest message, which the next one waits for. */
  private static final String TAIL = "tutorialTail";
  private static final int HISTORY = 50;

  private final ChatService chat;
  private final RateLimiter limiter;
  private final Namespace namespace;

  public TutorialGateway(SocketIoServer server, ChatService chat, ChatGateway chatGateway, RateLimiter limiter) {
    this.chat = chat;
    this.limiter = limiter;
    this.namespace = server.sockets();
    namespace.use((socket, next) -> {
      Optional<Duration> wait = limiter.connection(socket.handshake().address());
      if (wait.isPresent()) {
        next.refuse(new ConnectError("rate_limited", Map.of("retryAfterMs", wait.get().toMillis() + 1)));
      } else {
        next.proceed();
      }
    });
    namespace.onConnection(this::onConnection);
    chatGateway.onMessage(this::relay);
  }

  /** The Socket.IO room of the sockets going by {@code name}: private messages reach them on any node. */
  private static String nameKey(String name) {
    return "n:" + name;
  }

  private void onConnection(Socket socket) {
    String guest = "guest-" + Integer.toString(ThreadLocalRandom.current().nextInt(1000, 10000));
    socket.data().put(NAME, guest);
    socket.join(nameKey(guest));
    chat.recentGeneral(HISTORY).whenComplete((messages, error) -> {
      if (error != null) {
        log.warn("cannot load recent messages: {}", error.toString());
        socket.emit("loadMessages", List.of());
        return;
      }
      List<String> lines = new ArrayList<>();
      for (Message m : messages) {
        if (m.kind() == Message.Kind.TEXT) {
          lines.add(line(m));
        }
      }
      socket.emit("loadMessages", lines);
    });
    socket.on("join", (args, ack) -> {
      String name = args.text(0).map(String::strip).orElse("");
      if (name.isEmpty() || name.length() > 32) {
        return;
      }
      socket.leave(nameKey((String) socket.data().get(NAME)));
      socket.data().put(NAME, name);
      socket.join(nameKey(name));
      socket.data().remove(USER);
      namespace.emit("join", name);
      sendUserList(null);
    });
    socket.on("message", (args, ack) -> {
      String text = args.text(0).orElse(null);
      if (text == null || text.isBlank() || text.length() > chat.maxTextLength()) {
        return;
      }
      inOrder(socket, user -> {
        if (allowed(socket, user)) {
          chat.sendToGeneral(user, text).whenComplete((m, error) -> {
            if (error != null) {
              log.debug("tutorial message not stored: {}", error.toString());
            }
          });
        }
      });
    });
    socket.on("typing", (args, ack) ->
        socket.broadcast().asVolatile().emit("typing", socket.data().get(NAME) + " is typing..."));
    socket.on("privateMessage", (args, ack) -> {
      var request = args.get(0);
      if (!request.isObject() || !request.path("to").isTextual() || !request.path("message").isTextual()) {
        return;
      }
      String to = request.get("to").textValue();
      String text = request.get("message").textValue();
      if (text.length() > chat.maxTextLength()) {
        return;
      }
      inOrder(socket, user -> {
        if (!allowed(socket, user)) {
          return;
        }
        // The sockets going by that name, or the socket of that id, on whichever node.
        namespace.to(nameKey(to), to).emit("message", "(Private) " + socket.data().get(NAME) + ": " + text);
      });
    });
    socket.onDisconnect(reason -> sendUserList(socket.id()));
  }

  /**
   * Takes one message from the user's rate limit. The tutorial's events have no acknowledgement:
   * a refused one is answered with a {@code rate_limited} event (pages that do not listen for it
   * just see their message not appear).
   */
  private boolean allowed(Socket socket, User user) {
    Optional<Duration> wait = limiter.message(user.id());
    wait.ifPresent(w -> socket.emit("rate_limited", Map.of("retryAfterMs", w.toMillis() + 1)));
    return wait.isEmpty();
  }

  /**
   * Runs {@code action} with the socket's user once it is known, after the actions of the
   * socket's earlier events: a page's messages are posted in the order it sent them, and its user
   * is created once however many messages arrive before that is done. On the socket's loop.
   */
  private void inOrder(Socket socket, Consumer<User> action) {
    CompletableFuture<?> previous = (CompletableFuture<?>) socket.data().getOrDefault(TAIL,
        CompletableFuture.completedFuture(null));
    CompletableFuture<User> user = user(socket);
    CompletableFuture<Void> next = previous.handle((v, e) -> null).thenCompose(v -> user).thenAccept(action);
    next.whenComplete((v, error) -> {
      if (error != null) {
        log.debug("tutorial event not handled: {}", error.toString());
      }
    });
    socket.data().put(TAIL, next);
  }

  /** The user of the socket's current name, created in the store on first use. */
  @SuppressWarnings("unchecked")
  private CompletableFuture<User> user(Socket socket) {
    Object cached = socket.data().get(USER);
    if (cached instanceof CompletableFuture<?> future && !future.isCompletedExceptionally()) {
      return (CompletableFuture<User>) future;
    }
    CompletableFuture<User> user = chat.tutorialUser((String) socket.data().get(NAME));
    socket.data().put(USER, user);
    return user;
  }

  /** Tells every page, on every node, who is here: the names of the sockets of every node but {@code leaving}. */
  private void sendUserList(String leaving) {
    namespace.fetchSockets().whenComplete((sockets, error) -> {
      if (error != null) {
        log.debug("user list not sent: {}", error.toString());
        return;
      }
      List<String> names = new ArrayList<>();
      for (RemoteSocket s : sockets) {
        Object name = s.data().get(NAME);
        if (!s.id().equals(leaving) && name != null) {
          names.add(name instanceof JsonNode node ? node.asText() : name.toString());
        }
      }
      namespace.emit("userList", names);
    });
  }

  private void relay(Room room, Message message) {
    if (Room.GENERAL.equals(room.name()) && room.kind() == Room.Kind.PUBLIC && message.kind() == Message.Kind.TEXT) {
      // Each node relays the messages it delivers to its own tutorial pages.
      namespace.local().emit("message", line(message));
    }
  }

  private static String line(Message m) {
    return m.user().name() + ": " + m.text();
  }
}
