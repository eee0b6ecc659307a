package dev.parley.socketio;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reverse proxies whose word the server takes about the client behind them: for a request
 * that comes straight from one of them, the client's address is the last one of
 * {@code X-Forwarded-For} that is not itself a trusted proxy, and the connection counts as secure
 * when {@code X-Forwarded-Proto} says {@code https}. From anyone else those headers are ignored,
 * since any client can send them. Immutable.
 */
public final class TrustedProxies {
  private static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<IpSubnetFilterRule> rules;

  private TrustedProxies(List<IpSubnetFilterRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Trusts nobody: the peer's address is the client's. */
  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * Trusts the proxies at these addresses: IP literals ({@code 10.0.0.5}, {@code ::1}) or ranges
   * in CIDR notation ({@code 10.0.0.0/8}).
   *
   * @throws IllegalArgumentException naming an entry that is neither
   */
  public static TrustedProxies of(List<String> addresses) {
    List<IpSubnetFilterRule> rules = new ArrayList<>();
    for (String raw : addresses) {
      String entry = raw.strip();
      int slash = entry.indexOf('/');
      String ip = slash < 0 ? entry : entry.substring(0, slash);
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
      if (bytes == null) {
        throw new IllegalArgumentException("not an IP address or CIDR range: " + raw);
      }
      int bits = bytes.length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not an IP address or CIDR range: " + raw);
        }
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException("not an IP address or CIDR range: " + raw);
        }
      }
      try {
        rules.add(new IpSubnetFilterRule(InetAddress.getByAddress(bytes), prefix, IpFilterRuleType.ACCEPT));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address or CIDR range: " + raw);
      }
    }
    return new TrustedProxies(rules);
  }

  /** Whether {@code peer} is a trusted proxy. */
  public boolean trusts(InetSocketAddress peer) {
    if (peer == null || peer.getAddress() == null) {
      return false;
    }
    for (IpSubnetFilterRule rule : rules) {
      if (rule.matches(peer)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client's address: {@code peer}, or when {@code peer} is a trusted proxy, the nearest
   * address of {@code forwardedFor} (an {@code X-Forwarded-For} value, null when absent) that is
   * not a trusted proxy. Port 0 when it comes from the header.
   */
  public InetSocketAddress client(InetSocketAddress peer, String forwardedFor) {
    if (forwardedFor == null || !trusts(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    InetSocketAddress nearest = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(hops[i].strip());
      if (bytes == null) {
        // Not an address (a port, an obfuscated name): go no further than what was read.
        return nearest;
      }
      try {
        nearest = new InetSocketAddress(InetAddress.getByAddress(bytes), 0);
      } catch (UnknownHostException e) {
        return nearest;
      }
      if (!trusts(nearest)) {
        return nearest;
      }
    }
    return nearest;
  }

  /**
   * Whether the client reached the server over TLS: on this connection ({@code tls}), or, when
   * {@code peer} is a trusted proxy, to the proxy as its {@code X-Forwarded-Proto} says.
   */
  public boolean secure(InetSocketAddress peer, boolean tls, String forwardedProto) {
    if (tls) {
      return true;
    }
    if (forwardedProto == null || !trusts(peer)) {
      return false;
    }
    String first = forwardedProto.split(",")[0].strip().toLowerCase(Locale.ROOT);
    return first.equals("https");
  }
}
