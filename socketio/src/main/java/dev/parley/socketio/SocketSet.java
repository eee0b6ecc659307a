package dev.parley.socketio;

import java.util.ConcurrentModificationException;
import java.util.function.Consumer;

/**
 * A set of sockets compared by identity: an open-addressing table with linear probing, about
 * eight bytes a member where a {@code HashSet} spends about forty, and a plain array to walk
 * when a broadcast reaches every member. Rooms hold one entry per membership, so this is most
 * of what a room costs. Not thread-safe: a {@link LocalAdapter} shard's loop owns each one.
 */
final class SocketSet {
  private static final int MIN_CAPACITY = 4;

  /** Power-of-two length, at most half full; null marks a free slot. */
  private Socket[] table = new Socket[MIN_CAPACITY];
  private int size;
  /** Changes so far, to catch a change made while {@link #forEach} walks the table. */
  private int modifications;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  boolean contains(Socket socket) {
    return table[indexOf(socket)] == socket;
  }

  /** Adds {@code socket}; false if it was there already. */
  boolean add(Socket socket) {
    int i = indexOf(socket);
    if (table[i] == socket) {
      return false;
    }
    table[i] = socket;
    size++;
    modifications++;
    if (size * 2 > table.length) {
      resize(table.length * 2);
    }
    return true;
  }

  /** Removes {@code socket}; false if it was not there. */
  boolean remove(Socket socket) {
    int i = indexOf(socket);
    if (table[i] != socket) {
      return false;
    }
    table[i] = null;
    size--;
    modifications++;
    // Backward-shift deletion: move up the entries of the probe run that follows the hole, so
    // that lookups need no tombstones.
    int mask = table.length - 1;
    for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
      int home = slot(table[j], mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        table[i] = table[j];
        table[j] = null;
        i = j;
      }
    }
    if (table.length > MIN_CAPACITY && size * 8 < table.length) {
      resize(table.length / 2);
    }
    return true;
  }

  /** Runs {@code action} on every member; the set must not change meanwhile. */
  void forEach(Consumer<Socket> action) {
    Socket[] t = table;
    int expected = modifications;
    for (Socket s : t) {
      if (s != null) {
        action.accept(s);
        if (modifications != expected) {
          throw new ConcurrentModificationException("a socket set changed while it was walked");
        }
      }
    }
  }

  /** The slot holding {@code socket}, or the free slot where it would go. */
  private int indexOf(Socket socket) {
    int mask = table.length - 1;
    int i = slot(socket, mask);
    while (table[i] != null && table[i] != socket) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int slot(Socket socket, int mask) {
    int h = System.identityHashCode(socket);
    return (h ^ (h >>> 16)) & mask;
  }

  private void resize(int capacity) {
    Socket[] old = table;
    table = new Socket[capacity];
    int mask = capacity - 1;
    for (Socket s : old) {
      if (s != null) {
        int i = slot(s, mask);
        while (table[i] != null) {
          i = (i + 1) & mask;
        }
        table[i] = s;
      }
    }
  }
}
