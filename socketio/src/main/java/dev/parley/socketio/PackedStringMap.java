package dev.parley.socketio;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map of strings held as one string of all keys and values and the offsets where
 * each ends. A session keeps its handshake's headers and query for as long as it lives, and a
 * server holds tens of thousands of sessions: packed, a handful of headers costs a few hundred
 * bytes instead of a hash table of entries and two objects per string. Lookups scan the keys,
 * which is fast for the few entries of a request. Thread-safe.
 */
final class PackedStringMap extends AbstractMap<String, String> {
  private static final PackedStringMap EMPTY = new PackedStringMap("", new int[0]);

  /** Every key and value, one after the other. */
  private final String data;
  /** Where each key and each value ends in {@link #data}: key 0, value 0, key 1, … */
  private final int[] ends;

  private PackedStringMap(String data, int[] ends) {
    this.data = data;
    this.ends = ends;
  }

  /**
   * An immutable copy of {@code map}, or {@code map} itself if it is one already.
   *
   * @throws NullPointerException if a key or a value is null
   */
  static PackedStringMap copyOf(Map<String, String> map) {
    if (map instanceof PackedStringMap packed) {
      return packed;
    }
    if (map.isEmpty()) {
      return EMPTY;
    }
    StringBuilder data = new StringBuilder();
    int[] ends = new int[map.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      data.append(Objects.requireNonNull(e.getKey(), "key"));
      ends[i++] = data.length();
      data.append(Objects.requireNonNull(e.getValue(), "value"));
      ends[i++] = data.length();
    }
    return new PackedStringMap(data.toString(), ends);
  }

  private int start(int slot) {
    return slot == 0 ? 0 : ends[slot - 1];
  }

  private String part(int slot) {
    return data.substring(start(slot), ends[slot]);
  }

  /** The slot of {@code key}'s key, or -1. */
  private int find(Object key) {
    if (!(key instanceof String k)) {
      return -1;
    }
    for (int slot = 0; slot < ends.length; slot += 2) {
      int start = start(slot);
      if (ends[slot] - start == k.length() && data.startsWith(k, start)) {
        return slot;
      }
    }
    return -1;
  }

  @Override
  public String get(Object key) {
    int slot = find(key);
    return slot < 0 ? null : part(slot + 1);
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) >= 0;
  }

  @Override
  public int size() {
    return ends.length / 2;
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int slot;

          @Override
          public boolean hasNext() {
            return slot < ends.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, String> entry = new SimpleImmutableEntry<>(part(slot), part(slot + 1));
            slot += 2;
            return entry;
          }
        };
      }

      @Override
      public int size() {
        return PackedStringMap.this.size();
      }
    };
  }
}
