package dev.parley.server;

import dev.parley.server.auth.OidcProvider;
import dev.parley.server.limits.RateLimiter;
import dev.parley.socketio.TrustedProxies;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parley's settings. Each comes, by increasing precedence, from its default, the config file
 * ({@code --config FILE} or {@code PARLEY_CONFIG}, Java properties format with the option names
 * as keys), the environment ({@code PARLEY_<NAME>}) and the command line ({@code --name value}).
 *
 * @param host address to listen on
 * @param port port to listen on
 * @param dataDir where the embedded database and files live
 * @param db database URL: {@code jdbc:sqlite:…}, {@code jdbc:postgresql://…} or
 *     {@code postgresql://user@host:port/db}; empty for SQLite in the data directory
 * @param publicDir a folder of the user's own static files served at {@code /}
 * @param publicCsp a Content-Security-Policy for the files of {@code publicDir}
 * @param allowedOrigins browser origins allowed to connect besides the server's own; {@code "*"}
 *     for any
 * @param trustedProxies reverse proxies (IP addresses or CIDR ranges) whose {@code X-Forwarded-For}
 *     and {@code X-Forwarded-Proto} name the client's address and scheme
 * @param tls the certificate and key to serve HTTPS and WSS with; plain HTTP when empty
 * @param logLevel root log level
 * @param maxMessageLength the longest message text, in characters
 * @param writeQueue how many messages may wait to be stored before sends are refused
 * @param recoveryWindow how long a dropped connection can be recovered
 * @param presenceGrace how long a user may be without a connection before others see it offline
 * @param limits rate limits against floods
 * @param admins the names of the accounts that are server admins
 * @param guests whether people may chat without an account, under a guest name
 * @param secureCookies whether the session cookie is marked {@code Secure} (sent over HTTPS only):
 *     on when clients reach the server over TLS, directly or through a proxy
 * @param clustering whether and how this node works with others
 * @param mail the SMTP server that mails one-time codes; without one they go to the log
 * @param oidc sign-in through OpenID Connect providers, and the public URL their callbacks use
 */
public record Config(
    String host,
    int port,
    Path dataDir,
    Optional<String> db,
    Optional<Path> publicDir,
    Optional<String> publicCsp,
    List<String> allowedOrigins,
    List<String> trustedProxies,
    Optional<Tls> tls,
    String logLevel,
    int maxMessageLength,
    int writeQueue,
    Duration recoveryWindow,
    Duration presenceGrace,
    RateLimiter.Limits limits,
    List<String> admins,
    boolean guests,
    boolean secureCookies,
    Clustering clustering,
    Mail mail,
    Oidc oidc) {

  /**
   * How a node joins a cluster of nodes that share one PostgreSQL database.
   *
   * @param redis the Redis URL the nodes meet at; empty for a single node
   * @param nodeId this node's id, unique among the running nodes (0-1023)
   */
  public record Clustering(Optional<String> redis, int nodeId) {}

  /**
   * Sign-in through OpenID Connect providers. Each provider is a group of options
   * {@code oidc.<id>.issuer}, {@code oidc.<id>.client-id}, {@code oidc.<id>.client-secret}
   * (optional: none for a public client), {@code oidc.<id>.name} (the button's text; the id by
   * default) and {@code oidc.<id>.scopes} (default {@code openid profile email}); in the
   * environment {@code PARLEY_OIDC_<ID>_ISSUER} and so on.
   *
   * @param publicUrl the address browsers reach the server at ({@code --public-url}); empty to
   *     take the request's {@code Host}
   * @param providers the providers, by id in alphabetical order
   */
  public record Oidc(Optional<URI> publicUrl, List<OidcProvider> providers) {
    static final Pattern KEY = Pattern.compile(
        "oidc\\.([a-z0-9][a-z0-9-]{0,31})\\.(issuer|client-id|client-secret|name|scopes)");
    private static final Pattern ENV = Pattern.compile(
        "PARLEY_OIDC_([A-Z0-9][A-Z0-9_]{0,31})_(ISSUER|CLIENT_ID|CLIENT_SECRET|NAME|SCOPES)");

    public Oidc {
      providers = List.copyOf(providers);
    }

    /** Whether {@code name} is a provider option, {@code oidc.<id>.<field>}. */
    static boolean isKey(String name) {
      return KEY.matcher(name).matches();
    }

    /** The provider options in the environment, by their option names. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
      Map<String, String> out = new TreeMap<>();
      env.forEach((name, value) -> {
        Matcher m = ENV.matcher(name);
        if (m.matches()) {
          out.put("oidc." + m.group(1).toLowerCase(Locale.ROOT).replace('_', '-') + "."
              + m.group(2).toLowerCase(Locale.ROOT).replace('_', '-'), value);
        }
      });
      return out;
    }

    static Oidc parse(Map<String, String> values) {
      Optional<URI> publicUrl = optional(values.get("public-url")).map(Oidc::publicUrl);
      Map<String, Map<String, String>> byId = new TreeMap<>();
      values.forEach((key, value) -> {
        Matcher m = KEY.matcher(key);
        if (m.matches()) {
          byId.computeIfAbsent(m.group(1), id -> new TreeMap<>()).put(m.group(2), value.strip());
        }
      });
      List<OidcProvider> providers = new java.util.ArrayList<>();
      byId.forEach((id, fields) -> {
        String issuer = optional(fields.get("issuer")).orElseThrow(() ->
            new UsageException("oidc." + id + ".issuer is missing: every provider needs an issuer URL"));
        String clientId = optional(fields.get("client-id")).orElseThrow(() ->
            new UsageException("oidc." + id + ".client-id is missing: every provider needs a client id"));
        try {
          providers.add(new OidcProvider(id, optional(fields.get("name")).orElse(id), new URI(issuer), clientId,
              optional(fields.get("client-secret")),
              List.of(optional(fields.get("scopes")).orElse("openid profile email").split("[\\s,]+"))));
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new UsageException("oidc." + id + ": " + e.getMessage());
        }
      });
      return new Oidc(publicUrl, providers);
    }

    private static URI publicUrl(String raw) {
      String trimmed = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
      try {
        URI uri = new URI(trimmed);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
            || uri.getRawQuery() != null || uri.getRawFragment() != null) {
          throw new UsageException("--public-url must be an http(s) URL without query, like https://chat.example: "
              + raw);
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new UsageException("--public-url must be an http(s) URL, like https://chat.example: " + raw);
      }
    }
  }

  /**
   * The PEM files of the server's certificate and key, given as {@code --tls-cert} and
   * {@code --tls-key}; read when the server starts.
   *
   * @param certificate the certificate, followed by its intermediates if any
   * @param privateKey its private key, unencrypted PKCS#8
   */
  public record Tls(Path certificate, Path privateKey) {}

  /**
   * How email leaves the server: the SMTP server given with {@code --smtp-host} and its
   * companions. Without a host, one-time codes are written to the log instead.
   *
   * @param host the SMTP server; empty to log codes instead of mailing them
   * @param port its port, 587 (submission) by default
   * @param user the name to log in with; empty for no login
   * @param password the password of {@code user}
   * @param from the sender address, e.g. {@code Parley <chat@example.org>}
   * @param startTls whether the connection must be upgraded with STARTTLS before anything is sent
   */
  public record Mail(Optional<String> host, int port, Optional<String> user, Optional<String> password, String from,
      boolean startTls) {
    public Mail {
      if (user.isPresent() != password.isPresent()) {
        throw new UsageException("--smtp-user and --smtp-password go together: "
            + (user.isPresent() ? "--smtp-password" : "--smtp-user") + " is missing");
      }
      if (!from.contains("@")) {
        throw new UsageException("--smtp-from must be an email address: " + from);
      }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
      return "Mail[host=" + host + ", port=" + port + ", user=" + user + ", from=" + from + ", startTls=" + startTls
          + "]";
    }
  }

  /** A command line that could not be understood. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  private record Option(String name, String defaultValue, String help) {}

  private static final List<Option> OPTIONS = List.of(
      new Option("host", "0.0.0.0", "address to listen on"),
      new Option("port", "3000", "port to listen on"),
      new Option("data-dir", "./data", "folder for the embedded database and files"),
      new Option("db", "", "database URL: jdbc:postgresql://…, postgresql://user@host:port/db or jdbc:sqlite:FILE "
          + "(default: SQLite in the data folder)"),
      new Option("public-dir", "", "folder of your own static files, served at / ahead of the built-in app"),
      new Option("public-csp", "", "Content-Security-Policy header for files from --public-dir (default: none)"),
      new Option("allowed-origins", "", "comma-separated browser origins allowed to connect besides the "
          + "server's own, or * for any (default: the server's own only)"),
      new Option("trusted-proxies", "", "comma-separated addresses or CIDR ranges of reverse proxies in front of "
          + "the server, whose X-Forwarded-For and X-Forwarded-Proto are believed"),
      new Option("tls-cert", "", "PEM certificate (chain) file: serve HTTPS and WSS; needs --tls-key"),
      new Option("tls-key", "", "PEM private key file (unencrypted PKCS#8) of --tls-cert"),
      new Option("log-level", "INFO", "TRACE, DEBUG, INFO, WARN or ERROR"),
      new Option("max-message-length", "4000", "longest message text, in characters"),
      new Option("write-queue", "20000", "messages that may wait to be stored before sends are refused"),
      new Option("recovery-window", "120", "seconds during which a dropped connection is recovered"),
      new Option("presence-grace", "5", "seconds a user may be without a connection (a reload, a blip, a "
          + "restart) before others see it offline"),
      new Option("rate-messages", "10", "messages a user may send per second, sustained"),
      new Option("rate-message-burst", "20", "messages a user may send at once after a quiet while"),
      new Option("rate-requests", "50", "other requests a user may make per second (bursts of twice as many)"),
      new Option("rate-connections", "300", "new connections per client address per minute"),
      new Option("rate-sign-ins", "10", "sign-in attempts on one account per 5 minutes"),
      new Option("rate-auth", "30", "sign-in and registration attempts per client address per minute"),
      new Option("admins", "", "comma-separated names of accounts that are server admins: they may moderate "
          + "every public and private room (never DMs); applied at start"),
      new Option("guests", "true", "true to let people chat without an account, under a guest name (names of "
          + "accounts stay theirs); false to require signing in"),
      new Option("secure-cookies", "false", "true to mark the sign-in cookie Secure (HTTPS only): set it when "
          + "clients reach the server over TLS, directly or through a proxy"),
      new Option("redis", "", "Redis URL (redis://host:port) to run as one node of a cluster; needs --db on "
          + "PostgreSQL shared by every node"),
      new Option("node-id", "0", "this node's id in a cluster, 0-1023, different on each running node"),
      new Option("smtp-host", "", "SMTP server that mails one-time codes (default: none, codes are written to "
          + "the log)"),
      new Option("smtp-port", "587", "port of --smtp-host"),
      new Option("smtp-user", "", "name to log in to --smtp-host with (default: no login)"),
      new Option("smtp-password", "", "password of --smtp-user"),
      new Option("smtp-from", "parley@localhost", "sender address of the mail, e.g. 'Parley <chat@example.org>'"),
      new Option("smtp-starttls", "true", "true to require STARTTLS before sending (port 587); false for a "
          + "server on the same machine or network that offers no TLS"),
      new Option("public-url", "", "the address browsers reach the server at, e.g. https://chat.example: "
          + "the base of sign-in callbacks (default: the request's Host)"),
      new Option("config", "", "a properties file with any of these options"));

  /** The usage text of {@code --help}. */
  public static String usage() {
    StringBuilder out = new StringBuilder("Usage: java -jar parley.jar [options]\n\nOptions (each also "
        + "PARLEY_<NAME> in the environment, or name=value in the --config file):\n");
    for (Option o : OPTIONS) {
      out.append(String.format("  --%-20s %s%s%n", o.name() + " V", o.help(),
          o.defaultValue().isEmpty() ? "" : " [" + o.defaultValue() + "]"));
    }
    out.append("  --oidc.<id>.issuer V, .client-id V, .client-secret V, .name V, .scopes V\n"
        + "                         a provider to sign in with (OpenID Connect); see the README\n");
    out.append("  --help                 print this text\n");
    return out.toString();
  }

  /** Reads the settings; throws {@link UsageException} with a message naming the problem. */
  public static Config parse(String[] args, Map<String, String> env) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("--" + name + " needs a value");
      }
      if (find(name).isEmpty() && !Oidc.isKey(name)) {
        throw new UsageException("unknown option --" + name);
      }
      flags.put(name, value);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS) {
      values.put(o.name(), o.defaultValue());
    }
    String file = flags.getOrDefault("config", env.getOrDefault("PARLEY_CONFIG", ""));
    if (!file.isEmpty()) {
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(Path.of(file))) {
        props.load(in);
      } catch (IOException e) {
        throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
      }
      for (String key : props.stringPropertyNames()) {
        if (find(key).isEmpty() && !Oidc.isKey(key)) {
          throw new UsageException("unknown option '" + key + "' in " + file);
        }
        values.put(key, props.getProperty(key).strip());
      }
    }
    for (Option o : OPTIONS) {
      String v = env.get("PARLEY_" + o.name().toUpperCase(Locale.ROOT).replace('-', '_'));
      if (v != null) {
        values.put(o.name(), v);
      }
    }
    values.putAll(Oidc.fromEnvironment(env));
    values.putAll(flags);
    return new Config(
        values.get("host"),
        integer(values, "port", 0, 65535),
        Path.of(values.get("data-dir")),
        optional(values.get("db")),
        optional(values.get("public-dir")).map(Path::of),
        optional(values.get("public-csp")),
        Arrays.stream(values.get("allowed-origins").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
        trustedProxies(values.get("trusted-proxies")),
        tls(values),
        level(values.get("log-level")),
        integer(values, "max-message-length", 1, 1_000_000),
        integer(values, "write-queue", 1, 10_000_000),
        Duration.ofSeconds(integer(values, "recovery-window", 1, 86_400)),
        Duration.ofSeconds(integer(values, "presence-grace", 0, 3_600)),
        new RateLimiter.Limits(integer(values, "rate-messages", 1, 1_000_000),
            integer(values, "rate-message-burst", 1, 1_000_000), integer(values, "rate-requests", 1, 1_000_000),
            integer(values, "rate-connections", 1, 1_000_000), integer(values, "rate-sign-ins", 1, 1_000_000),
            integer(values, "rate-auth", 1, 1_000_000)),
        Arrays.stream(values.get("admins").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
        bool(values, "guests"),
        bool(values, "secure-cookies"),
        clustering(values),
        new Mail(optional(values.get("smtp-host")), integer(values, "smtp-port", 1, 65535),
            optional(values.get("smtp-user")), optional(values.get("smtp-password")), values.get("smtp-from").strip(),
            bool(values, "smtp-starttls")),
        Oidc.parse(values));
  }

  private static Clustering clustering(Map<String, String> values) {
    Optional<String> redis = optional(values.get("redis"));
    int nodeId = integer(values, "node-id", 0, 1023);
    if (redis.isPresent()) {
      String db = values.get("db").strip().toLowerCase(Locale.ROOT);
      if (!db.startsWith("jdbc:postgresql:") && !db.startsWith("postgresql://") && !db.startsWith("postgres://")) {
        throw new UsageException("--redis runs this node in a cluster, and a cluster keeps its messages in one "
            + "PostgreSQL database: give --db jdbc:postgresql://… (SQLite serves a single node)");
      }
    }
    return new Clustering(redis, nodeId);
  }

  private static Optional<Option> find(String name) {
    return OPTIONS.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  private static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static List<String> trustedProxies(String raw) {
    List<String> list = Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    try {
      TrustedProxies.of(list);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--trusted-proxies: " + e.getMessage());
    }
    return list;
  }

  private static Optional<Tls> tls(Map<String, String> values) {
    Optional<String> certificate = optional(values.get("tls-cert"));
    Optional<String> key = optional(values.get("tls-key"));
    if (certificate.isPresent() != key.isPresent()) {
      throw new UsageException("--tls-cert and --tls-key go together: "
          + (certificate.isPresent() ? "--tls-key" : "--tls-cert") + " is missing");
    }
    return certificate.map(c -> new Tls(Path.of(c), Path.of(key.get())));
  }

  private static int integer(Map<String, String> values, String name, int min, int max) {
    String raw = values.get(name);
    try {
      int v = Integer.parseInt(raw.strip());
      if (v < min || v > max) {
        throw new UsageException("--" + name + " must be between " + min + " and " + max + ": " + raw);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number: " + raw);
    }
  }

  private static boolean bool(Map<String, String> values, String name) {
    String v = values.get(name).strip().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new UsageException("--" + name + " must be true or false: " + values.get(name));
    }
    return v.equals("true");
  }

  private static String level(String raw) {
    String v = raw.strip().toUpperCase(Locale.ROOT);
    if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(v)) {
      throw new UsageException("--log-level must be TRACE, DEBUG, INFO, WARN or ERROR: " + raw);
    }
    return v;
  }
}
