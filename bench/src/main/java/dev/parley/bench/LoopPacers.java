package dev.parley.bench;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many senders on one {@link Schedule}: one {@link Pacer} per event loop of the clients, each
 * sending for its own loop's clients in turn, so that a client is only ever written (and its ack
 * ids taken) on its own loop. Each loop's pacer sends its clients' share of the rate; the
 * packets of one tick leave with one flush per client.
 */
final class LoopPacers {

  /** Builds the packet a client sends; called on the client's loop. */
  @FunctionalInterface
  interface Request {
    String packet(BenchClient client, int step, long micros);
  }

  private final List<Pacer> pacers = new ArrayList<>();

  /**
   * @param clients this process's senders
   * @param allSenders the senders of every process together, for each loop's share of the rate
   */
  LoopPacers(List<BenchClient> clients, int allSenders, MicroClock clock, Schedule schedule, Request request) {
    Map<EventLoop, List<BenchClient>> byLoop = new LinkedHashMap<>();
    for (BenchClient client : clients) {
      byLoop.computeIfAbsent(client.channel().eventLoop(), k -> new ArrayList<>()).add(client);
    }
    for (Map.Entry<EventLoop, List<BenchClient>> loop : byLoop.entrySet()) {
      List<BenchClient> mine = loop.getValue();
      pacers.add(new Pacer(loop.getKey(), clock, schedule, (double) mine.size() / allSenders,
          new RoundRobin(mine, request)));
    }
  }

  void start() {
    pacers.forEach(Pacer::start);
  }

  void stopAfter(int step) {
    pacers.forEach(p -> p.stopAfter(step));
  }

  void stop() {
    pacers.forEach(Pacer::stop);
  }

  /** Requests sent in {@code step} by all loops. */
  long sent(int step) {
    long n = 0;
    for (Pacer p : pacers) {
      n += p.sent(step);
    }
    return n;
  }

  /** The clients of one loop in turn. Loop-confined. */
  private static final class RoundRobin implements MessageSource {
    private final List<BenchClient> clients;
    private final Request request;
    private final List<Channel> touched = new ArrayList<>();
    private int next;

    RoundRobin(List<BenchClient> clients, Request request) {
      this.clients = clients;
      this.request = request;
    }

    @Override
    public void send(int step, int count, long sentAtMicros) {
      for (int i = 0; i < count; i++) {
        BenchClient client = clients.get(next);
        next = (next + 1) % clients.size();
        Channel ch = client.channel();
        String packet = request.packet(client, step, sentAtMicros);
        ch.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ch.alloc(), packet)), ch.voidPromise());
        if (touched.size() < clients.size()) {
          touched.add(ch);
        }
      }
      for (Channel ch : touched) {
        ch.flush();
      }
      touched.clear();
    }
  }
}
