package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An Engine.IO endpoint without sockets: each {@link EmbeddedChannel} is one HTTP connection
 * into an {@link EngineIoHttpHandler} (followed by the default 404 handler), requests are written
 * as Netty HTTP objects and responses read back. The sessions' listener records what they
 * receive. Time is frozen on every channel; a session lives on the loop of the channel that
 * opened it, so {@link #advance} moves every channel's clock and {@link #read} runs every
 * channel's tasks. Single-threaded, like the tests.
 */
final class EmbeddedEngine {
  static final String PATH = "/socket.io/";
  static final ObjectMapper MAPPER = new ObjectMapper();

  final ServerOptions options;
  final EngineServer server;
  /** What the sessions' listener saw, in order: {@code message:<text>}, {@code binary:<n bytes>}, {@code close:<reason>}. */
  final List<String> events = new ArrayList<>();
  /** Every connection made, in order. */
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  EmbeddedEngine(UnaryOperator<ServerOptions.Builder> settings) {
    this.options = settings.apply(ServerOptions.builder()
        .pingInterval(Duration.ofMillis(300))
        .pingTimeout(Duration.ofMillis(200))
        .maxPayload(64)).build();
    this.server = new EngineServer(options, session -> new EngineSession.Listener() {
      @Override
      public void onMessage(String text) {
        events.add("message:" + text);
      }

      @Override
      public void onBinary(byte[] data) {
        events.add("binary:" + data.length);
      }

      @Override
      public void onClose(DisconnectReason reason) {
        events.add("close:" + reason.wireName());
      }
    });
  }

  EmbeddedEngine() {
    this(b -> b);
  }

  /** A new HTTP connection. */
  EmbeddedChannel connect() {
    return track(new EmbeddedChannel(new EngineIoHttpHandler(server), new NotFoundHandler()));
  }

  /** Includes {@code channel} (a connection built by the test) in the clock and task runs. */
  EmbeddedChannel track(EmbeddedChannel channel) {
    channel.freezeTime();
    channels.add(channel);
    return channel;
  }

  /** A response, copied out of its buffer. */
  record Response(int status, HttpHeaders headers, String body) {
    JsonNode json() throws Exception {
      return MAPPER.readTree(body);
    }
  }

  /**
   * A request as {@code HttpServerCodec} delivers it: the head, then the body as the last
   * content (the codec never hands on a {@code FullHttpRequest}).
   */
  static List<Object> request(HttpMethod method, String uri, String body, String... headers) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    HttpUtil.setContentLength(request, content.readableBytes());
    for (int i = 0; i < headers.length; i += 2) {
      request.headers().add(headers[i], headers[i + 1]);
    }
    return List.of(request, new DefaultLastHttpContent(content));
  }

  /** Writes {@code request} on {@code channel} and returns its response, or null if none yet. */
  Response exchange(EmbeddedChannel channel, List<Object> request) {
    channel.writeInbound(request.toArray());
    return read(channel);
  }

  /** Runs what is due on every connection, then returns the next response of {@code channel}, or null. */
  Response read(EmbeddedChannel channel) {
    runPendingTasks();
    FullHttpResponse response = channel.readOutbound();
    if (response == null) {
      return null;
    }
    try {
      return new Response(response.status().code(), response.headers().copy(),
          response.content().toString(StandardCharsets.UTF_8));
    } finally {
      response.release();
    }
  }

  Response get(EmbeddedChannel channel, String query, String... headers) {
    return exchange(channel, request(HttpMethod.GET, PATH + "?" + query, "", headers));
  }

  Response post(EmbeddedChannel channel, String query, String body, String... headers) {
    return exchange(channel, request(HttpMethod.POST, PATH + "?" + query, body, headers));
  }

  /** Opens a polling session on a connection of its own and returns its id. */
  String handshake() throws Exception {
    Response open = get(connect(), "EIO=4&transport=polling");
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.body()).startsWith("0");
    return MAPPER.readTree(open.body().substring(1)).get("sid").textValue();
  }

  EngineSession session(String sid) {
    return server.session(sid).orElseThrow(() -> new AssertionError("no session " + sid));
  }

  /** Moves every connection's clock on and runs what became due. */
  void advance(Duration duration) {
    for (EmbeddedChannel channel : channels) {
      channel.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
    }
    runPendingTasks();
  }

  /**
   * Runs the tasks queued on every connection's loop, until none is left: work for a session
   * hops to the loop of the connection that opened it.
   */
  void runPendingTasks() {
    boolean ran;
    do {
      ran = false;
      for (EmbeddedChannel channel : List.copyOf(channels)) {
        if (channel.hasPendingTasks()) {
          channel.runPendingTasks();
          ran = true;
        }
      }
    } while (ran);
    for (EmbeddedChannel channel : channels) {
      channel.runScheduledPendingTasks();
    }
  }

  static String query(String sid) {
    return "EIO=4&transport=polling&sid=" + sid;
  }

  static String header(Response response, CharSequence name) {
    return response.headers().get(name);
  }

  static final CharSequence ALLOW_ORIGIN = HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN;
}
