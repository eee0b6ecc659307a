package dev.parley.socketio;

import static dev.parley.socketio.EmbeddedEngine.ALLOW_ORIGIN;
import static dev.parley.socketio.EmbeddedEngine.PATH;
import static dev.parley.socketio.EmbeddedEngine.header;
import static dev.parley.socketio.EmbeddedEngine.query;
import static dev.parley.socketio.EmbeddedEngine.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.socketio.EmbeddedEngine.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The long-polling endpoint as an HTTP handler: routing, the handshake, the errors of the
 * reference server (status, {@code {"code","message"}} body), the origin allow-list and CORS, and
 * {@code maxPayload} enforced before a body is buffered whole.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EngineIoHttpHandlerTest {
  private final EmbeddedEngine engine = new EmbeddedEngine();

  private static void assertError(Response response, int status, int code, String message) throws Exception {
    assertThat(response.status()).isEqualTo(status);
    assertThat(header(response, HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.json()).isEqualTo(EmbeddedEngine.MAPPER.readTree(
        "{\"code\":" + code + ",\"message\":\"" + message + "\"}"));
  }

  @Nested
  class Handshake {
    @Test
    void opensAPollingSession() throws Exception {
      Response response = engine.get(engine.connect(), "EIO=4&transport=polling");

      assertThat(response.status()).isEqualTo(200);
      assertThat(header(response, HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; charset=UTF-8");
      assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.body()).startsWith("0");
      JsonNode open = EmbeddedEngine.MAPPER.readTree(response.body().substring(1));
      assertThat(open.get("sid").textValue()).matches("[A-Za-z0-9_-]{20}");
      assertThat(open.get("upgrades")).isEqualTo(EmbeddedEngine.MAPPER.readTree("[\"websocket\"]"));
      assertThat(open.get("pingInterval").intValue()).isEqualTo(300);
      assertThat(open.get("pingTimeout").intValue()).isEqualTo(200);
      assertThat(open.get("maxPayload").intValue()).isEqualTo(64);
      assertThat(open.size()).isEqualTo(5);
      assertThat(engine.server.session(open.get("sid").textValue())).isPresent();
    }

    @Test
    void offersNoUpgradeWhenWebSocketIsOff() throws Exception {
      EmbeddedEngine pollingOnly = new EmbeddedEngine(b -> b.transports(Set.of(ServerOptions.Transport.POLLING)));

      Response response = pollingOnly.get(pollingOnly.connect(), "EIO=4&transport=polling");

      JsonNode open = EmbeddedEngine.MAPPER.readTree(response.body().substring(1));
      assertThat(open.get("upgrades")).isEmpty();
    }

    @Test
    void eachHandshakeGetsItsOwnSession() throws Exception {
      String first = engine.handshake();
      String second = engine.handshake();

      assertThat(first).isNotEqualTo(second);
      assertThat(engine.server.sessionCount()).isEqualTo(2);
    }

    @Test
    void pathWithoutTheTrailingSlash() {
      Response response = engine.exchange(engine.connect(),
          request(HttpMethod.GET, "/socket.io?EIO=4&transport=polling", ""));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).startsWith("0{\"sid\":");
    }

    @Test
    void otherPathsGoToTheNextHandler() {
      EmbeddedChannel channel = engine.connect();

      Response response = engine.exchange(channel, request(HttpMethod.GET, "/index.html?EIO=4&transport=polling", ""));

      assertThat(response.status()).isEqualTo(404);
      assertThat(engine.server.sessionCount()).isZero();
      // and the connection still serves Engine.IO requests afterwards
      assertThat(engine.get(channel, "EIO=4&transport=polling").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/x%u006d", "/%", "/%zz/socket.io/", "/socket.io%u002f", "/socket.io/%2"})
    void otherPathsWithAMalformedEscapeGoToTheNextHandler(String path) {
      EmbeddedChannel channel = engine.connect();

      Response response = engine.exchange(channel, request(HttpMethod.GET, path + "?EIO=4&transport=polling", ""));

      assertThat(response.status()).isEqualTo(404);
      assertThat(engine.server.sessionCount()).isZero();
      assertThat(channel.isActive()).isTrue();
    }

    @Test
    void otherPathsReceiveTheirBodyUntouched() {
      EmbeddedChannel channel = engine.track(new EmbeddedChannel(new EngineIoHttpHandler(engine.server)));
      HttpRequest upload = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
      HttpUtil.setTransferEncodingChunked(upload, true);
      HttpContent chunk = new DefaultHttpContent(Unpooled.copiedBuffer("x".repeat(100), StandardCharsets.UTF_8));

      channel.writeInbound(upload, chunk, new DefaultLastHttpContent());

      assertThat((Object) channel.readInbound()).isSameAs(upload);
      HttpContent passed = channel.readInbound();
      assertThat(passed.content().readableBytes()).isEqualTo(100);
      passed.release();
      assertThat((Object) channel.readInbound()).isInstanceOf(DefaultLastHttpContent.class);
    }
  }

  @Nested
  class Errors {
    @ParameterizedTest
    @ValueSource(strings = {"transport=polling", "EIO=3&transport=polling", "EIO=abc&transport=polling",
        "EIO=5&transport=polling", "EIO=&transport=polling"})
    void unsupportedProtocolVersion(String query) throws Exception {
      assertError(engine.get(engine.connect(), query), 400, 5, "Unsupported protocol version");
      assertThat(engine.server.sessionCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4", "EIO=4&transport=abc", "EIO=4&transport=flashsocket", "EIO=4&transport=webtransport",
        "EIO=4&transport=POLLING"})
    void unknownTransport(String query) throws Exception {
      assertError(engine.get(engine.connect(), query), 400, 0, "Transport unknown");
    }

    @Test
    void transportSwitchedOff() throws Exception {
      EmbeddedEngine pollingOnly = new EmbeddedEngine(b -> b.transports(Set.of(ServerOptions.Transport.POLLING)));

      assertError(pollingOnly.get(pollingOnly.connect(), "EIO=4&transport=websocket", "Upgrade", "websocket", "Connection", "Upgrade"),
          400, 0, "Transport unknown");
    }

    @Test
    void unknownSessionId() throws Exception {
      assertError(engine.get(engine.connect(), query("nope")), 400, 1, "Session ID unknown");
      assertError(engine.post(engine.connect(), query("nope"), "4hello"), 400, 1, "Session ID unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void handshakeWithAnotherMethodThanGet(String method) throws Exception {
      Response response = engine.exchange(engine.connect(),
          request(HttpMethod.valueOf(method), PATH + "?EIO=4&transport=polling", "4hello"));

      assertError(response, 400, 2, "Bad handshake method");
      assertThat(engine.server.sessionCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4&transport=polling&x=%u006d", "EIO=4&transport=polling&x=%", "EIO=4&transport=polling%zz",
        "EIO=%34&transport=polling&%"})
    void malformedPercentEscapeInTheQueryIsAnsweredNotDropped(String query) throws Exception {
      EmbeddedChannel channel = engine.connect();

      assertError(engine.get(channel, query), 400, 3, "Bad request");
      assertThat(engine.server.sessionCount()).isZero();
      assertThat(channel.isActive()).isTrue();
      assertThat(engine.get(channel, "EIO=4&transport=polling").status()).as("the connection serves on").isEqualTo(200);
    }

    @Test
    void aRequestTheCodecCouldNotReadIsAnsweredAndTheConnectionClosed() throws Exception {
      EmbeddedChannel channel = engine.connect();
      HttpRequest unreadable = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, PATH + "?EIO=4&transport=polling");
      unreadable.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(
          new io.netty.handler.codec.http.TooLongHttpHeaderException("HTTP header is larger than 16384 bytes.")));

      assertError(engine.exchange(channel, List.of(unreadable)), 400, 3, "Bad request");
      assertThat(engine.server.sessionCount()).isZero();
      assertThat(channel.isActive()).isFalse();
    }

    @Test
    void webSocketTransportWithoutUpgrade() throws Exception {
      assertError(engine.get(engine.connect(), "EIO=4&transport=websocket"), 400, 3, "Bad request");
    }

    @Test
    void sessionRequestWithAnotherMethodThanGetOrPost() throws Exception {
      String sid = engine.handshake();

      Response response = engine.exchange(engine.connect(), request(HttpMethod.PUT, PATH + "?" + query(sid), "4x"));

      assertThat(response.status()).isEqualTo(400);
    }
  }

  @Nested
  class Origins {
    private final EmbeddedEngine restricted =
        new EmbeddedEngine(b -> b.allowedOrigins(List.of("https://chat.example", "http://localhost:5173")));

    @Test
    void foreignOriginIsForbiddenForEveryRequest() throws Exception {
      String sid = restricted.handshake();
      String evil = "https://evil.example";

      List<Response> responses = List.of(
          restricted.get(restricted.connect(), "EIO=4&transport=polling", "Origin", evil),
          restricted.get(restricted.connect(), query(sid), "Origin", evil),
          restricted.post(restricted.connect(), query(sid), "4hello", "Origin", evil),
          restricted.exchange(restricted.connect(), request(HttpMethod.OPTIONS, PATH + "?" + query(sid), "",
              "Origin", evil, "Access-Control-Request-Method", "POST")));

      for (Response response : responses) {
        assertError(response, 403, 4, "Forbidden");
        assertThat(header(response, ALLOW_ORIGIN)).isNull();
      }
      assertThat(restricted.server.sessionCount()).isEqualTo(1);
      assertThat(restricted.events).isEmpty();
    }

    @Test
    void forbiddenResponseClosesTheConnection() {
      EmbeddedChannel channel = restricted.connect();

      restricted.get(channel, "EIO=4&transport=polling", "Origin", "https://evil.example");

      assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void allowedOriginGetsCorsHeaders() throws Exception {
      Response response = restricted.get(restricted.connect(), "EIO=4&transport=polling", "Origin", "https://chat.example");

      assertThat(response.status()).isEqualTo(200);
      assertThat(header(response, ALLOW_ORIGIN)).isEqualTo("https://chat.example");
      assertThat(header(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isEqualTo("true");
      assertThat(header(response, HttpHeaderNames.VARY)).isEqualTo("Origin");
    }

    @Test
    void allowedOriginGetsCorsHeadersOnErrorsToo() throws Exception {
      Response response = restricted.get(restricted.connect(), "EIO=3&transport=polling", "Origin", "http://localhost:5173");

      assertError(response, 400, 5, "Unsupported protocol version");
      assertThat(header(response, ALLOW_ORIGIN)).isEqualTo("http://localhost:5173");
    }

    @Test
    void requestWithoutOriginIsNotABrowserAndIsAllowed() {
      Response response = restricted.get(restricted.connect(), "EIO=4&transport=polling");

      assertThat(response.status()).isEqualTo(200);
      assertThat(header(response, ALLOW_ORIGIN)).isNull();
    }

    @Test
    void anyOriginEchoesTheOriginBecauseCredentialsAreAllowed() {
      EmbeddedEngine any = new EmbeddedEngine(b -> b.allowedOrigins(List.of("*")));

      Response response = any.get(any.connect(), "EIO=4&transport=polling", "Origin", "https://anywhere.example");

      assertThat(response.status()).isEqualTo(200);
      assertThat(header(response, ALLOW_ORIGIN)).isEqualTo("https://anywhere.example");
      assertThat(header(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isEqualTo("true");
    }

    @Test
    void byDefaultThePagesOfTheServerItselfMayConnectWithoutCors() {
      Response response = engine.get(engine.connect(), "EIO=4&transport=polling",
          "Host", "chat.example:3000", "Origin", "http://chat.example:3000");

      assertThat(response.status()).isEqualTo(200);
      assertThat(header(response, ALLOW_ORIGIN)).as("a same-origin request needs no CORS").isNull();
    }

    @Test
    void byDefaultAPageOfAnotherSiteIsForbiddenOnEveryTransport() throws Exception {
      String sid = engine.handshake();
      String[] evil = {"Host", "chat.example:3000", "Origin", "http://evil.example"};

      List<Response> responses = List.of(
          engine.get(engine.connect(), "EIO=4&transport=polling", evil),
          engine.get(engine.connect(), query(sid), evil),
          engine.post(engine.connect(), query(sid), "4hello", evil),
          engine.get(engine.connect(), "EIO=4&transport=websocket",
              "Host", "chat.example:3000", "Origin", "http://evil.example",
              "Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Version", "13",
              "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));

      for (Response response : responses) {
        assertError(response, 403, 4, "Forbidden");
      }
      assertThat(engine.server.sessionCount()).isEqualTo(1);
      assertThat(engine.events).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://chat.example:3000", "http://chat.example:3001", "http://chat.example",
        "http://evil.chat.example:3000", "null", "http://chat.example:3000@evil.example"})
    void theServersOwnOriginIsItsHostPortAndScheme(String origin) throws Exception {
      Response response = engine.get(engine.connect(), "EIO=4&transport=polling",
          "Host", "chat.example:3000", "Origin", origin);

      assertError(response, 403, 4, "Forbidden");
    }

    @Test
    void aBrowserRequestWithoutHostCannotBeSameOrigin() throws Exception {
      Response response = engine.get(engine.connect(), "EIO=4&transport=polling", "Origin", "http://chat.example");

      assertError(response, 403, 4, "Forbidden");
    }

    @Test
    void listedOriginsComeOnTopOfTheServersOwn() {
      Response own = restricted.get(restricted.connect(), "EIO=4&transport=polling",
          "Host", "127.0.0.1:3000", "Origin", "http://127.0.0.1:3000");

      assertThat(own.status()).isEqualTo(200);
      assertThat(header(own, ALLOW_ORIGIN)).isNull();
    }

    @Test
    void preflight() {
      Response response = restricted.exchange(restricted.connect(), request(HttpMethod.OPTIONS, PATH + "?EIO=4&transport=polling", "",
          "Origin", "https://chat.example",
          "Access-Control-Request-Method", "POST",
          "Access-Control-Request-Headers", "content-type,x-token"));

      assertThat(response.status()).isEqualTo(204);
      assertThat(response.body()).isEmpty();
      assertThat(header(response, HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("0");
      assertThat(header(response, ALLOW_ORIGIN)).isEqualTo("https://chat.example");
      assertThat(header(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isEqualTo("true");
      assertThat(header(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).contains("GET", "POST");
      assertThat(header(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS)).isEqualTo("content-type,x-token");
      assertThat(restricted.server.sessionCount()).isZero();
    }

    @Test
    void preflightKeepsTheConnection() {
      EmbeddedChannel channel = restricted.connect();

      restricted.exchange(channel, request(HttpMethod.OPTIONS, PATH + "?EIO=4&transport=polling", "",
          "Origin", "https://chat.example", "Access-Control-Request-Method", "GET"));

      assertThat(channel.isOpen()).isTrue();
      assertThat(restricted.get(channel, "EIO=4&transport=polling", "Origin", "https://chat.example").status()).isEqualTo(200);
    }
  }

  @Nested
  class MaxPayload {
    private String sid;

    private HttpRequest postHead(String sid) {
      return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, PATH + "?" + query(sid));
    }

    private HttpContent chunk(int bytes) {
      return new DefaultHttpContent(Unpooled.copiedBuffer("4" + "x".repeat(bytes - 1), StandardCharsets.UTF_8));
    }

    @Test
    void bodyOfExactlyMaxPayloadIsAccepted() throws Exception {
      sid = engine.handshake();

      Response response = engine.post(engine.connect(), query(sid), "4" + "x".repeat(63));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("ok");
      assertThat(engine.events).containsExactly("message:" + "x".repeat(63));
    }

    @Test
    void declaredContentLengthOverMaxPayloadIsRefusedBeforeTheBodyArrives() throws Exception {
      sid = engine.handshake();
      EmbeddedChannel channel = engine.connect();
      HttpRequest head = postHead(sid);
      HttpUtil.setContentLength(head, 10_000_000);

      channel.writeInbound(head);

      Response response = engine.read(channel);
      assertThat(response.status()).isEqualTo(413);
      assertThat(channel.isOpen()).isFalse();
      assertThat(engine.events).isEmpty();
      assertThat(engine.session(sid).isOpen()).as("the session outlives a refused body").isTrue();
    }

    @Test
    void chunkedBodyIsRefusedAsSoonAsItPassesMaxPayload() throws Exception {
      sid = engine.handshake();
      EmbeddedChannel channel = engine.connect();
      HttpRequest head = postHead(sid);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      HttpContent first = chunk(40);
      HttpContent second = chunk(40);

      channel.writeInbound(head, first);
      assertThat(engine.read(channel)).as("no answer while under maxPayload").isNull();
      channel.writeInbound(second);

      Response response = engine.read(channel);
      assertThat(response.status()).isEqualTo(413);
      assertThat(header(response, HttpHeaderNames.CONNECTION)).isEqualTo("close");
      assertThat(first.refCnt()).as("buffered chunk released").isZero();
      assertThat(second.refCnt()).isZero();
      assertThat(engine.events).isEmpty();
      assertThat(engine.session(sid).isOpen()).isTrue();
      // The rest is read and dropped, so that closing does not reset a client still sending.
      assertThat(channel.isOpen()).isTrue();
      channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("x".repeat(20), StandardCharsets.UTF_8)));
      engine.runPendingTasks();
      assertThat(channel.isOpen()).isFalse();
      assertThat(engine.read(channel)).as("one answer only").isNull();
    }

    @Test
    void aRefusedBodyThatGoesOnPastTwiceMaxPayloadIsCutOff() throws Exception {
      sid = engine.handshake();
      EmbeddedChannel channel = engine.connect();
      HttpRequest head = postHead(sid);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);

      channel.writeInbound(head, chunk(40), chunk(40));
      assertThat(engine.read(channel).status()).isEqualTo(413);
      channel.writeInbound(chunk(40));
      engine.runPendingTasks();
      assertThat(channel.isOpen()).as("within maxPayload more").isTrue();
      channel.writeInbound(chunk(40));
      engine.runPendingTasks();

      assertThat(channel.isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDeclaredLengthOverTwiceMaxPayloadOrAWaitingClientIsClosedRightAfterTheAnswer(boolean expectsContinue)
        throws Exception {
      sid = engine.handshake();
      EmbeddedChannel channel = engine.connect();
      HttpRequest head = postHead(sid);
      HttpUtil.setContentLength(head, expectsContinue ? 100 : 129);
      if (expectsContinue) {
        HttpUtil.set100ContinueExpected(head, true);
      }

      channel.writeInbound(head);

      assertThat(engine.read(channel).status()).isEqualTo(413);
      assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void restOfARefusedBodyIsDropped() throws Exception {
      sid = engine.handshake();
      EmbeddedChannel channel = engine.track(new EmbeddedChannel(new EngineIoHttpHandler(engine.server)));
      HttpRequest head = postHead(sid);
      HttpUtil.setContentLength(head, 100);
      HttpContent late = chunk(50);
      DefaultLastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("x".repeat(50), StandardCharsets.UTF_8));

      // One read can decode the whole request: the parts after the refusal still arrive.
      channel.writeInbound(head, late, last);

      assertThat(engine.read(channel).status()).isEqualTo(413);
      assertThat(engine.read(channel)).as("one answer only").isNull();
      assertThat(late.refCnt()).isZero();
      assertThat(last.refCnt()).isZero();
      assertThat((Object) channel.readInbound()).as("nothing passed on").isNull();
      assertThat(engine.events).isEmpty();
      assertThat(channel.isOpen()).as("closed once the body was read through").isFalse();
    }

    @Test
    void multiByteCharactersCountAsBytes() throws Exception {
      sid = engine.handshake();

      Response response = engine.post(engine.connect(), query(sid), "4" + "é".repeat(32));

      assertThat(response.status()).isEqualTo(413);
    }

    @Test
    void chunkedBodyUnderMaxPayloadIsDelivered() throws Exception {
      sid = engine.handshake();
      EmbeddedChannel channel = engine.connect();
      HttpRequest head = postHead(sid);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      ByteBuf tail = Unpooled.copiedBuffer("lo\u001e4world", StandardCharsets.UTF_8);

      channel.writeInbound(head, new DefaultHttpContent(Unpooled.copiedBuffer("4hel", StandardCharsets.UTF_8)),
          new DefaultLastHttpContent(tail));

      assertThat(engine.read(channel).body()).isEqualTo("ok");
      assertThat(engine.events).containsExactly("message:hello", "message:world");
    }
  }
}
