package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SocketSetTest {
  private static List<Socket> sockets(int count) {
    List<Socket> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(new Socket(null, null, "s" + i, null, null, false));
    }
    return list;
  }

  private static Set<Socket> members(SocketSet set) {
    Set<Socket> out = new HashSet<>();
    set.forEach(s -> assertThat(out.add(s)).as("each member once").isTrue());
    return out;
  }

  @Test
  void behavesLikeAHashSetThroughRandomAddsAndRemoves() {
    List<Socket> pool = sockets(300);
    Random random = new Random(42);
    SocketSet set = new SocketSet();
    Set<Socket> expected = new HashSet<>();

    for (int step = 0; step < 20_000; step++) {
      Socket s = pool.get(random.nextInt(pool.size()));
      // Mostly adds early on, mostly removes later: the table grows, then shrinks again.
      if (random.nextInt(20_000) > step) {
        assertThat(set.add(s)).isEqualTo(expected.add(s));
      } else {
        assertThat(set.remove(s)).isEqualTo(expected.remove(s));
      }
      assertThat(set.size()).isEqualTo(expected.size());
    }
    assertThat(members(set)).isEqualTo(expected);
    for (Socket s : pool) {
      assertThat(set.contains(s)).isEqualTo(expected.contains(s));
    }
  }

  @Test
  void emptiesAndFillsAgain() {
    List<Socket> pool = sockets(100);
    SocketSet set = new SocketSet();
    pool.forEach(set::add);
    pool.forEach(set::remove);

    assertThat(set.isEmpty()).isTrue();
    assertThat(members(set)).isEmpty();
    pool.subList(0, 3).forEach(set::add);
    assertThat(members(set)).containsExactlyInAnyOrderElementsOf(pool.subList(0, 3));
  }

  @Test
  void refusesToChangeWhileWalked() {
    List<Socket> pool = sockets(3);
    SocketSet set = new SocketSet();
    set.add(pool.get(0));
    set.add(pool.get(1));

    assertThatThrownBy(() -> set.forEach(s -> set.add(pool.get(2))))
        .isInstanceOf(ConcurrentModificationException.class);
  }
}
