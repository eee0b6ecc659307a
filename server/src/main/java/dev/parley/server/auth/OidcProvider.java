package dev.parley.server.auth;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OpenID Connect provider people may sign in with, as configured.
 *
 * @param id the short name in the routes ({@code /api/v1/auth/oidc/{id}/…}): lower-case letters,
 *     digits and '-'
 * @param name what the sign-in button says ("Sign in with {name}")
 * @param issuer the provider's issuer URL; its {@code /.well-known/openid-configuration} says the rest
 * @param clientId this server's client id at the provider
 * @param clientSecret its client secret; empty for a public client (PKCE only)
 * @param scopes the scopes asked for; always includes {@code openid}
 */
public record OidcProvider(String id, String name, URI issuer, String clientId, Optional<String> clientSecret,
    List<String> scopes) {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  public OidcProvider {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a provider id is 1-32 lower-case letters, digits or '-': " + id);
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("provider " + id + " needs a name");
    }
    Objects.requireNonNull(issuer, "issuer");
    if (!issuer.isAbsolute() || !("https".equals(issuer.getScheme()) || "http".equals(issuer.getScheme()))
        || issuer.getHost() == null) {
      throw new IllegalArgumentException("the issuer of provider " + id + " must be an http(s) URL: " + issuer);
    }
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("provider " + id + " needs a client id");
    }
    Objects.requireNonNull(clientSecret, "clientSecret");
    scopes = scopes.contains("openid") ? List.copyOf(scopes)
        : java.util.stream.Stream.concat(java.util.stream.Stream.of("openid"), scopes.stream()).toList();
  }
}
