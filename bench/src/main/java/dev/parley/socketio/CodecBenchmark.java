package dev.parley.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's codec hot paths, measured with JMH: encoding a chat message broadcast once (the
 * framed WebSocket text every recipient gets) and decoding a client's event. In the engine's
 * package because the codec is package-private. Run with
 * {@code java -cp bench/target/parley-bench.jar org.openjdk.jmh.Main CodecBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  private SioEncoder encoder;
  private SioDecoder decoder;
  private Map<String, Object> message;
  private String sendEvent;

  @Setup
  public void setup() {
    ObjectMapper mapper = new ObjectMapper();
    encoder = new SioEncoder(mapper, PooledByteBufAllocator.DEFAULT);
    decoder = new SioDecoder(mapper, 10);
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", "382814210863665152");
    user.put("name", "ada");
    message = new LinkedHashMap<>();
    message.put("id", "382814210863665153");
    message.put("roomId", "1");
    message.put("seq", 12_345L);
    message.put("ts", 1_795_334_230_000L);
    message.put("user", user);
    message.put("text", "x".repeat(100));
    message.put("kind", "text");
    sendEvent = "2/chat,17[\"message:send\",{\"roomId\":\"1\",\"text\":\"" + "x".repeat(100)
        + "\",\"clientMsgId\":\"4b0e2a8e-8f59-4cf1-9a55-5f3b6f2d6c1a\"}]";
  }

  /** A {@code message} broadcast with a recovery offset, encoded and framed once. */
  @Benchmark
  public int encodeBroadcast() {
    EncodedPacket packet = encoder.event("/chat", "message", List.of(message), -1, "c8t1k0a9-1h.5x3k2m9q1");
    try {
      return packet.text.readableBytes();
    } finally {
      packet.release();
    }
  }

  /** A client's {@code message:send} with an ack id, parsed into a packet. */
  @Benchmark
  public SioPacket decodeEvent() throws ProtocolException {
    return decoder.decode(sendEvent);
  }
}
