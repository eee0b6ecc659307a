package dev.parley.server.auth;

import dev.parley.server.chat.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts and their credentials: registration, sign-in to a web session, sign-out, password
 * change, deactivation, access and refresh tokens, personal access tokens, and
 * {@link #authenticate(String) authentication} of any of them into a {@link Principal}.
 *
 * <p>Work that hashes a password runs on {@code hashExecutor} (small and bounded: each hash takes
 * 19 MiB and tens of milliseconds), the rest on {@code storeExecutor}; nothing blocks the caller.
 * A full executor fails the call with {@link AuthException.Code#OVERLOADED}. Revoked credentials
 * are announced through {@link AuthEvents} once committed. Passwords and tokens are never logged
 * and never part of an exception message. Thread-safe.
 */
public final class AccountService {
  private static final Logger log = LoggerFactory.getLogger(AccountService.class);

  /** The cookie that carries a web session's token. */
  public static final String SESSION_COOKIE = "parley_session";
  public static final Duration SESSION_LIFETIME = Duration.ofDays(30);
  public static final int MIN_PASSWORD_LENGTH = 8;
  public static final int MAX_PASSWORD_LENGTH = 256;
  static final int MAX_TOKEN_NAME = 64;
  static final int MAX_PERSONAL_TOKENS = 50;
  static final Duration MAX_PERSONAL_TOKEN_LIFETIME = Duration.ofDays(366);
  /** Last-seen times are written at most this often, so that reads stay reads. */
  static final Duration TOUCH_INTERVAL = Duration.ofMinutes(5);
  static final String PERSONAL_TOKEN_PREFIX = "parley_pat_";
  static final String REFRESH_TOKEN_PREFIX = "parley_rt_";
  /** A token's random part: 32 bytes, base64url. */
  private static final Pattern RANDOM_PART = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A new web session.
   *
   * @param token the secret for the {@code parley_session} cookie; only its hash is stored
   */
  public record SignedIn(Account account, WebSession session, String token) {}

  /** An access token and the refresh token that gets the next one. */
  public record Tokens(TokenService.AccessToken accessToken, String refreshToken, Instant refreshTokenExpiresAt) {}

  /** A personal access token just made; {@code secret} is shown this once. */
  public record NewPersonalToken(PersonalToken token, String secret) {}

  private final AccountStore store;
  private final TokenService tokens;
  private final Passwords passwords;
  private final Executor storeExecutor;
  private final Executor hashExecutor;
  private final AuthEvents events;
  private final TwoFactorService twoFactor;
  private final Clock clock;

  public AccountService(AccountStore store, TokenService tokens, Passwords passwords, Executor storeExecutor,
      Executor hashExecutor, AuthEvents events, TwoFactorService twoFactor, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.storeExecutor = Objects.requireNonNull(storeExecutor, "storeExecutor");
    this.hashExecutor = Objects.requireNonNull(hashExecutor, "hashExecutor");
    this.events = Objects.requireNonNull(events, "events");
    this.twoFactor = Objects.requireNonNull(twoFactor, "twoFactor");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---- accounts --------------------------------------------------------------------------------

  /**
   * Registers an account. Refused with {@code conflict} if any user, guest or account, has the
   * name in any case.
   */
  public CompletableFuture<Account> register(String username, String password, Optional<String> displayName,
      Optional<String> email) {
    String name = username == null ? null : username.strip();
    Optional<String> display = displayName.map(String::strip).filter(s -> !s.isEmpty());
    Optional<String> address = email.map(String::strip).filter(s -> !s.isEmpty());
    try {
      AccountRules.checkName(name);
      AccountRules.checkPassword(password, name);
      display.ifPresent(AccountRules::checkDisplayName);
      address.ifPresent(AccountRules::checkEmail);
    } catch (AuthException e) {
      return CompletableFuture.failedFuture(e);
    }
    return on(hashExecutor, () -> {
      String hash = passwords.hash(password);
      try {
        return store.createAccount(name, hash, display, address, now());
      } catch (StoreException.Conflict e) {
        throw new AuthException(AuthException.Code.CONFLICT, "the name is taken");
      }
    });
  }

  /** The account of a user. */
  public CompletableFuture<Account> account(long userId) {
    return on(storeExecutor, () -> store.account(userId)
        .orElseThrow(() -> new AuthException(AuthException.Code.NOT_FOUND, "no such account")));
  }

  /**
   * Checks a name and password and opens a web session. A wrong password, an unknown name and a
   * deactivated account get the same answer, {@code invalid_credentials}, after the same work.
   * An account with two-factor sign-in gets no session: the future fails with
   * {@link SecondFactorRequired}, whose challenge {@link #completeSignIn} takes with a code.
   */
  public CompletableFuture<SignedIn> signIn(String username, String password, String userAgent) {
    if (username == null || password == null || username.isBlank()) {
      return CompletableFuture.failedFuture(AuthException.invalid("give a username and a password"));
    }
    String name = username.strip();
    if (!AccountRules.validName(name) || password.length() > MAX_PASSWORD_LENGTH * 2) {
      // No account has such a name or so long a password: no need to spend a hash to say so.
      return CompletableFuture.failedFuture(AuthException.wrongCredentials());
    }
    return on(hashExecutor, () -> {
      Optional<Account> account = store.accountByName(name);
      Optional<String> hash = account.flatMap(a -> store.passwordHash(a.id()));
      boolean matches = hash.isPresent() ? passwords.matches(password, hash.get()) : passwords.matchesNothing(password);
      if (!matches || !account.get().active()) {
        throw AuthException.wrongCredentials();
      }
      if (twoFactor.required(account.get().id())) {
        throw twoFactor.challenge(account.get().id());
      }
      return openSession(account.get(), userAgent);
    });
  }

  /**
   * The name of the account a sign-in challenge belongs to, so that codes count against its
   * sign-in attempts; {@code unauthorized} for an unknown, used or expired challenge.
   */
  public CompletableFuture<String> challengeAccountName(String challenge) {
    return on(storeExecutor, () -> store.account(twoFactor.challengeOwner(challenge)).map(Account::name)
        .orElseThrow(AuthException::unauthorized));
  }

  /**
   * Completes a password sign-in that needed a second factor: with the challenge and a current
   * code (or a recovery code), opens the web session that the password step held back.
   */
  public CompletableFuture<SignedIn> completeSignIn(String challenge, String code, String userAgent) {
    return on(storeExecutor, () -> {
      long userId = twoFactor.redeem(challenge, code);
      Account account = store.account(userId).filter(Account::active).orElseThrow(AuthException::wrongCredentials);
      return openSession(account, userAgent);
    });
  }

  /** Opens a web session for an account whose credentials were checked. Blocks: call on an executor. */
  SignedIn openSession(Account account, String userAgent) {
    Instant now = now();
    String token = Secrets.random(32);
    WebSession session = new WebSession(Secrets.sha256(token), account.id(), now,
        now.plus(SESSION_LIFETIME), now, Optional.empty(), AccountRules.shortenUserAgent(userAgent));
    store.createSession(session);
    return new SignedIn(account, session, token);
  }

  /** Ends the web session behind {@code principal} (its cookie, or the access token issued for it). */
  public CompletableFuture<Void> signOut(Principal principal) {
    Optional<String> sessionId = principal.sessionId();
    if (sessionId.isEmpty()) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.FORBIDDEN,
          "a personal access token has no session to sign out of; revoke the token instead"));
    }
    return on(storeExecutor, () -> {
      if (store.revokeSession(sessionId.get(), now())) {
        events.sessionRevoked(sessionId.get());
      }
      return null;
    });
  }

  /**
   * Changes the password after checking the current one, and revokes every other web session
   * (with their refresh and access tokens) and every personal access token of the user. The
   * session that asked stays signed in. Not allowed with a personal access token.
   */
  public CompletableFuture<Void> changePassword(Principal principal, String currentPassword, String newPassword) {
    if (principal.via() == Principal.Via.PERSONAL_TOKEN) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.FORBIDDEN,
          "a personal access token cannot change the password; sign in"));
    }
    if (currentPassword == null) {
      return CompletableFuture.failedFuture(AuthException.invalid("give the current password"));
    }
    try {
      AccountRules.checkPassword(newPassword, principal.name());
    } catch (AuthException e) {
      return CompletableFuture.failedFuture(e);
    }
    return on(hashExecutor, () -> {
      String stored = store.passwordHash(principal.userId()).orElseThrow(() -> new AuthException(
          AuthException.Code.FORBIDDEN, "this account has no password: it signs in through its identity provider"));
      if (currentPassword.length() > MAX_PASSWORD_LENGTH * 2 || !passwords.matches(currentPassword, stored)) {
        throw new AuthException(AuthException.Code.FORBIDDEN, "the current password is wrong");
      }
      AccountStore.Revoked revoked = store.changePassword(principal.userId(), passwords.hash(newPassword),
          principal.sessionId(), Optional.empty(), now());
      announce(revoked);
      return null;
    });
  }

  /**
   * Deactivates an account: it can no longer sign in, and every session and token it has is
   * revoked. Whoever calls this decides who may (the user, an admin).
   */
  public CompletableFuture<Void> deactivate(long userId) {
    return on(storeExecutor, () -> {
      if (!store.deactivate(userId, now())) {
        throw new AuthException(AuthException.Code.NOT_FOUND, "no such active account");
      }
      events.userRevoked(userId);
      return null;
    });
  }

  /**
   * The user deactivates its own account, proving it with the current password (403 when wrong).
   * Not allowed with a personal access token.
   */
  public CompletableFuture<Void> deactivateSelf(Principal principal, String password) {
    if (principal.via() == Principal.Via.PERSONAL_TOKEN) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.FORBIDDEN,
          "a personal access token cannot deactivate the account; sign in"));
    }
    if (password == null) {
      return CompletableFuture.failedFuture(AuthException.invalid("give the current password"));
    }
    return on(hashExecutor, () -> {
      String stored = store.passwordHash(principal.userId()).orElseThrow(() -> new AuthException(
          AuthException.Code.FORBIDDEN, "this account has no password: it signs in through its identity provider"));
      if (password.length() > MAX_PASSWORD_LENGTH * 2 || !passwords.matches(password, stored)) {
        throw new AuthException(AuthException.Code.FORBIDDEN, "the current password is wrong");
      }
      return null;
    }).thenCompose(ignored -> deactivate(principal.userId()));
  }

  /** A server admin deactivates an account; {@code forbidden} for anyone else. */
  public CompletableFuture<Void> deactivateAsAdmin(Principal admin, long userId) {
    if (admin.role() != Role.ADMIN) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.FORBIDDEN,
          "only a server admin may deactivate another account"));
    }
    return deactivate(userId).thenRun(() -> log.info("Admin {} deactivated user {}", admin.userId(), userId));
  }

  // ---- web sessions ----------------------------------------------------------------------------

  /** The user's sessions that can still sign in, newest first, with their refresh-token families. */
  public CompletableFuture<List<AccountStore.LiveSession>> sessions(Principal principal) {
    return on(storeExecutor, () -> store.liveSessions(principal.userId(), now()));
  }

  /**
   * Revokes one of the user's sessions, with its tokens, and closes its connections;
   * {@code not_found} if the user has no such live session.
   */
  public CompletableFuture<Void> revokeSession(Principal principal, String sessionId) {
    return on(storeExecutor, () -> {
      boolean mine = store.session(sessionId)
          .filter(s -> s.session().userId() == principal.userId() && s.session().activeAt(now())).isPresent();
      if (!mine || !store.revokeSession(sessionId, now())) {
        throw new AuthException(AuthException.Code.NOT_FOUND, "no such session");
      }
      events.sessionRevoked(sessionId);
      return null;
    });
  }

  /** Deletes sessions and refresh tokens that can never sign in again; the future says how many. */
  public CompletableFuture<AccountStore.Purged> purgeExpired() {
    return on(storeExecutor, () -> store.purgeExpired(now()));
  }

  // ---- access and refresh tokens ---------------------------------------------------------------

  /**
   * Exchanges a web session (its cookie) for an access token and a refresh token bound to it:
   * signing out of the session ends them too. Only a {@link Principal.Via#SESSION} may.
   */
  public CompletableFuture<Tokens> issueTokens(Principal principal) {
    if (principal.via() != Principal.Via.SESSION) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.FORBIDDEN,
          "only a signed-in session can be exchanged for tokens"));
    }
    return on(storeExecutor, () -> {
      WebSession session = liveSession(principal.credentialId()).orElseThrow(AuthException::unauthorized);
      return newTokens(session, RANDOM.nextLong() & Long.MAX_VALUE);
    });
  }

  /**
   * Exchanges a refresh token for a new access token and the next refresh token. Each refresh
   * token works once: presenting a used one again is taken as theft, and revokes its whole family
   * and its web session (the sign-in it came from).
   */
  public CompletableFuture<Tokens> refresh(String refreshToken) {
    if (refreshToken == null || !refreshToken.startsWith(REFRESH_TOKEN_PREFIX)
        || !RANDOM_PART.matcher(refreshToken.substring(REFRESH_TOKEN_PREFIX.length())).matches()) {
      return CompletableFuture.failedFuture(AuthException.unauthorized());
    }
    return on(storeExecutor, () -> {
      Instant now = now();
      RefreshToken used = store.refreshToken(Secrets.sha256(refreshToken)).orElseThrow(AuthException::unauthorized);
      if (used.usedAt().isPresent() || used.revokedAt().isPresent()) {
        throw reused(used, now);
      }
      if (!now.isBefore(used.expiresAt())) {
        throw AuthException.unauthorized();
      }
      WebSession session = liveSession(used.sessionId()).orElseThrow(AuthException::unauthorized);
      String next = REFRESH_TOKEN_PREFIX + Secrets.random(32);
      RefreshToken successor = new RefreshToken(Secrets.sha256(next), used.familyId(), session.id(),
          session.userId(), now, session.expiresAt(), Optional.empty(), Optional.empty());
      if (!store.rotateRefreshToken(used.id(), successor, now)) {
        throw reused(used, now);
      }
      return new Tokens(tokens.issue(session.userId(), session.id(), session.expiresAt()), next,
          successor.expiresAt());
    });
  }

  private Tokens newTokens(WebSession session, long familyId) {
    Instant now = now();
    String refresh = REFRESH_TOKEN_PREFIX + Secrets.random(32);
    store.createRefreshToken(new RefreshToken(Secrets.sha256(refresh), familyId, session.id(), session.userId(),
        now, session.expiresAt(), Optional.empty(), Optional.empty()));
    return new Tokens(tokens.issue(session.userId(), session.id(), session.expiresAt()), refresh, session.expiresAt());
  }

  /** Revokes a reused token's family and session; the exception to throw. */
  private AuthException reused(RefreshToken token, Instant now) {
    store.revokeRefreshFamily(token.familyId(), now);
    if (store.revokeSession(token.sessionId(), now)) {
      log.warn("A used refresh token of user {} was presented again: its session is revoked", token.userId());
      events.sessionRevoked(token.sessionId());
    }
    return AuthException.unauthorized();
  }

  // ---- personal access tokens ------------------------------------------------------------------

  /**
   * Makes a personal access token for bots and scripts, valid until revoked or for
   * {@code lifetime}. A personal access token cannot make another.
   */
  public CompletableFuture<NewPersonalToken> createPersonalToken(Principal principal, String name,
      Optional<Duration> lifetime) {
    if (principal.via() == Principal.Via.PERSONAL_TOKEN) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.FORBIDDEN,
          "a personal access token cannot make tokens; sign in"));
    }
    String clean = name == null ? "" : name.strip();
    if (clean.isEmpty() || clean.length() > MAX_TOKEN_NAME || AccountRules.hasControl(clean)) {
      return CompletableFuture.failedFuture(AuthException.invalid(
          "a token name is 1-" + MAX_TOKEN_NAME + " characters, without control characters"));
    }
    if (lifetime.isPresent() && (lifetime.get().compareTo(Duration.ofMinutes(1)) < 0
        || lifetime.get().compareTo(MAX_PERSONAL_TOKEN_LIFETIME) > 0)) {
      return CompletableFuture.failedFuture(AuthException.invalid("a token lives from 1 minute to 366 days"));
    }
    return on(storeExecutor, () -> {
      if (store.personalTokens(principal.userId()).size() >= MAX_PERSONAL_TOKENS) {
        throw AuthException.invalid("at most " + MAX_PERSONAL_TOKENS + " tokens; revoke one first");
      }
      Instant now = now();
      String secret = PERSONAL_TOKEN_PREFIX + Secrets.random(32);
      PersonalToken token = store.createPersonalToken(principal.userId(), clean,
          secret.substring(0, PERSONAL_TOKEN_PREFIX.length() + 4), Secrets.sha256(secret), now, lifetime.map(now::plus));
      return new NewPersonalToken(token, secret);
    });
  }

  /** The user's personal access tokens that are not revoked, newest first. */
  public CompletableFuture<List<PersonalToken>> personalTokens(Principal principal) {
    return on(storeExecutor, () -> store.personalTokens(principal.userId()));
  }

  /** Revokes one of the user's personal access tokens; {@code not_found} if it has no such token. */
  public CompletableFuture<Void> revokePersonalToken(Principal principal, long tokenId) {
    return on(storeExecutor, () -> {
      if (!store.revokePersonalToken(principal.userId(), tokenId, now())) {
        throw new AuthException(AuthException.Code.NOT_FOUND, "no such token");
      }
      events.personalTokenRevoked(Long.toString(tokenId));
      return null;
    });
  }

  // ---- authentication --------------------------------------------------------------------------

  /**
   * Who {@code credential} proves: a web session's token (the cookie's value), an access token
   * or a personal access token. Empty for anything unknown, expired, revoked, malformed or of a
   * deactivated account. Fails only when the store cannot answer.
   */
  public CompletableFuture<Optional<Principal>> authenticate(String credential) {
    if (credential == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (credential.startsWith(PERSONAL_TOKEN_PREFIX)) {
      return personalToken(credential);
    }
    if (TokenService.looksLikeJwt(credential)) {
      return accessToken(credential);
    }
    return session(credential);
  }

  /**
   * Who a request or a Socket.IO handshake acts for: the bearer token when there is one (an
   * access token or a personal access token, never a session's token), else the
   * {@code parley_session} cookie in the {@code Cookie} header. Either may be null.
   */
  public CompletableFuture<Optional<Principal>> authenticate(String cookieHeaderOrNull, String bearerTokenOrNull) {
    if (bearerTokenOrNull != null) {
      if (bearerTokenOrNull.startsWith(PERSONAL_TOKEN_PREFIX)) {
        return personalToken(bearerTokenOrNull);
      }
      return TokenService.looksLikeJwt(bearerTokenOrNull) ? accessToken(bearerTokenOrNull)
          : CompletableFuture.completedFuture(Optional.empty());
    }
    return sessionCookie(cookieHeaderOrNull).map(this::session)
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }

  /**
   * The credential of {@code principal} read again: the same principal with the account's
   * current name and role while the credential is valid, empty once it was revoked, expired or
   * its account deactivated. For connections that outlive the check made when they opened (a
   * recovered Socket.IO session). Fails only when the store cannot answer.
   */
  public CompletableFuture<Optional<Principal>> revalidate(Principal principal) {
    return on(storeExecutor, () -> {
      Instant now = now();
      if (principal.via() == Principal.Via.PERSONAL_TOKEN) {
        return store.account(principal.userId()).filter(Account::active).flatMap(account ->
            store.personalTokens(account.id()).stream()
                .filter(t -> Long.toString(t.id()).equals(principal.credentialId()) && t.activeAt(now))
                .findFirst()
                .map(t -> principal(account, Principal.Via.PERSONAL_TOKEN, principal.credentialId())));
      }
      return store.session(principal.credentialId())
          .filter(s -> s.session().activeAt(now) && s.account().active() && s.account().id() == principal.userId())
          .map(s -> principal(s.account(), principal.via(), s.session().id()));
    });
  }

  /** The value of the {@code parley_session} cookie in a {@code Cookie} header, if it has one. */
  public static Optional<String> sessionCookie(String cookieHeader) {
    if (cookieHeader == null) {
      return Optional.empty();
    }
    for (String pair : cookieHeader.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().equals(SESSION_COOKIE)) {
        String value = pair.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private CompletableFuture<Optional<Principal>> session(String token) {
    if (!RANDOM_PART.matcher(token).matches()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return on(storeExecutor, () -> {
      Instant now = now();
      return store.session(Secrets.sha256(token))
          .filter(s -> s.session().activeAt(now) && s.account().active())
          .map(s -> {
            if (s.session().lastSeenAt().plus(TOUCH_INTERVAL).isBefore(now)) {
              touch(() -> store.touchSession(s.session().id(), now));
            }
            return principal(s.account(), Principal.Via.SESSION, s.session().id());
          });
    });
  }

  private CompletableFuture<Optional<Principal>> accessToken(String token) {
    return on(storeExecutor, () -> tokens.verify(token).flatMap(claims -> {
      Instant now = now();
      return store.session(claims.sessionId())
          .filter(s -> s.session().activeAt(now) && s.account().active() && s.account().id() == claims.userId())
          .map(s -> principal(s.account(), Principal.Via.ACCESS_TOKEN, s.session().id()));
    }));
  }

  private CompletableFuture<Optional<Principal>> personalToken(String token) {
    if (!RANDOM_PART.matcher(token.substring(PERSONAL_TOKEN_PREFIX.length())).matches()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return on(storeExecutor, () -> {
      Instant now = now();
      return store.personalTokenByHash(Secrets.sha256(token))
          .filter(t -> t.token().activeAt(now) && t.account().active())
          .map(t -> {
            if (t.token().lastUsedAt().map(at -> at.plus(TOUCH_INTERVAL).isBefore(now)).orElse(true)) {
              touch(() -> store.touchPersonalToken(t.token().id(), now));
            }
            return principal(t.account(), Principal.Via.PERSONAL_TOKEN, Long.toString(t.token().id()));
          });
    });
  }

  private Optional<WebSession> liveSession(String sessionId) {
    Instant now = now();
    return store.session(sessionId).filter(s -> s.session().activeAt(now) && s.account().active())
        .map(AccountStore.SessionAndAccount::session);
  }

  private static Principal principal(Account account, Principal.Via via, String credentialId) {
    return new Principal(account.id(), account.name(), account.role(), via, credentialId);
  }

  /** A last-seen time is a convenience: failing to write one never fails the request. */
  private static void touch(Runnable write) {
    try {
      write.run();
    } catch (StoreException e) {
      log.debug("could not record a credential's use: {}", e.getMessage());
    }
  }

  private void announce(AccountStore.Revoked revoked) {
    revoked.sessionIds().forEach(events::sessionRevoked);
    revoked.personalTokenIds().forEach(id -> events.personalTokenRevoked(Long.toString(id)));
  }

  private Instant now() {
    return Work.now(clock);
  }

  private static <T> CompletableFuture<T> on(Executor executor, Supplier<T> work) {
    return Work.on(executor, work);
  }

  /** The cause of a failed future, without CompletionException wrappers. */
  public static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
