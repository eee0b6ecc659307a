package dev.parley.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Everything Parley serves over HTTP(S) next to Socket.IO. {@link #newHandler()} makes the
 * handlers of one connection, for {@code ServerOptions.httpFallback}.
 */
public final class WebFrontend {
  private static final int MAX_REQUEST_BODY = 64 * 1024;

  private final HttpRouter.Routes routes;

  /**
   * @param publicDir the user's static files, served ahead of the built-in app
   * @param publicDirPolicy a Content-Security-Policy for those files; none by default
   * @param ready whether the server can serve (database reachable)
   * @param metrics the Prometheus scrape
   * @param worker runs blocking work
   */
  public WebFrontend(Optional<Path> publicDir, Optional<String> publicDirPolicy,
      Supplier<CompletableFuture<Boolean>> ready, Supplier<String> metrics, Executor worker) {
    PublicDirectory dir = null;
    if (publicDir.isPresent()) {
      try {
        dir = new PublicDirectory(publicDir.get());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the public folder " + publicDir.get(), e);
      }
    }
    this.routes = new HttpRouter.Routes(ClasspathAssets.load("public", "/"),
        ClasspathAssets.load("socketio-client", "/"), dir, publicDirPolicy, ready, metrics, worker);
  }

  /** Whether the built-in web app is packed in this build. */
  public boolean hasApp() {
    return !routes.app().isEmpty();
  }

  /** The handlers of one connection. */
  public ChannelHandler newHandler() {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        boolean tls = ch.pipeline().get(SslHandler.class) != null;
        // Ahead of the aggregator, so that its own answers (413, 100 Continue) carry them too.
        ch.pipeline().addLast(tls ? SecurityHeaders.TLS : SecurityHeaders.PLAIN);
        ch.pipeline().addLast(new HttpObjectAggregator(MAX_REQUEST_BODY));
        ch.pipeline().addLast(new HttpRouter(routes));
      }
    };
  }
}
