package dev.parley.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local addresses that client sockets bind to, in turn. Each address has its own ~28,000
 * ephemeral ports, so spreading clients over 127.0.0.2–127.0.0.9 lifts the port limit of a
 * single source address on loopback.
 */
public final class SourceAddresses {
  private final List<InetSocketAddress> addresses;
  /** Round-robin position. Any thread. */
  private final AtomicInteger next = new AtomicInteger();

  private SourceAddresses(List<InetSocketAddress> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("at least one source address is needed");
    }
    this.addresses = List.copyOf(addresses);
  }

  /**
   * Parses a range such as {@code 127.0.0.2-127.0.0.9} (the last byte varies) or a single
   * address.
   */
  public static SourceAddresses parse(String spec) {
    String[] ends = spec.split("-", 2);
    try {
      byte[] from = InetAddress.getByName(ends[0].trim()).getAddress();
      byte[] to = InetAddress.getByName(ends[ends.length - 1].trim()).getAddress();
      if (from.length != 4 || to.length != 4 || from[0] != to[0] || from[1] != to[1] || from[2] != to[2]) {
        throw new IllegalArgumentException("source range must be IPv4 and differ only in the last byte: " + spec);
      }
      int first = from[3] & 0xff;
      int last = to[3] & 0xff;
      if (last < first) {
        throw new IllegalArgumentException("source range is empty: " + spec);
      }
      List<InetSocketAddress> list = new ArrayList<>();
      for (int b = first; b <= last; b++) {
        byte[] address = from.clone();
        address[3] = (byte) b;
        list.add(new InetSocketAddress(InetAddress.getByAddress(address), 0));
      }
      return new SourceAddresses(list);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address range: " + spec, e);
    }
  }

  /** How many addresses there are. */
  public int size() {
    return addresses.size();
  }

  /** The address for the next socket (port 0: the kernel picks one). */
  public InetSocketAddress next() {
    return addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
  }
}
