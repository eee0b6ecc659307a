package dev.parley.server.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Two-factor sign-in with an authenticator app (TOTP, see {@link Totp}): setting it up, turning it
 * on and off, and checking the code that completes a password sign-in.
 *
 * <p>Setup shows a new secret; a code made from it turns it on and yields ten single-use recovery
 * codes, shown that once and stored as hashes. A code is accepted once: a code of the last step
 * used, or of an earlier one, is refused, so a code seen over someone's shoulder cannot be
 * replayed within its 90-second window. A password sign-in of such an account gets a challenge
 * instead of a session; it lives {@link #CHALLENGE_LIFETIME 5 minutes}, takes at most
 * {@link #MAX_FAILURES} wrong codes and completes once.
 *
 * <p>Two-factor sign-in protects password sign-in: an account without a password (made by an
 * OpenID Connect sign-in) relies on its provider's own checks and cannot turn it on. The async
 * methods run on the store executor (disabling, which checks the password, on the hashing one);
 * the synchronous ones are for {@link AccountService}, already on an executor. Thread-safe.
 */
public final class TwoFactorService {
  public static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);
  public static final int MAX_FAILURES = 5;
  static final int RECOVERY_CODES = 10;
  /** No 0/o, 1/l/i: a recovery code is read off paper. */
  private static final char[] RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A secret being set up: shown to the user once, to type or scan into an app. */
  public record Setup(String secret, String uri) {}

  /** Whether the account has two-factor sign-in, and how many recovery codes are left. */
  public record Status(boolean enabled, int recoveryCodesLeft) {}

  private final TwoFactorStore store;
  private final AccountStore accounts;
  private final Passwords passwords;
  private final Executor storeExecutor;
  private final Executor hashExecutor;
  private final String issuer;
  private final Clock clock;
  private final Totp totp = new Totp();

  /** @param issuer the name authenticator apps show beside the account (the server's name) */
  public TwoFactorService(TwoFactorStore store, AccountStore accounts, Passwords passwords, Executor storeExecutor,
      Executor hashExecutor, String issuer, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.storeExecutor = Objects.requireNonNull(storeExecutor, "storeExecutor");
    this.hashExecutor = Objects.requireNonNull(hashExecutor, "hashExecutor");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Whether the user has two-factor sign-in on, and its recovery codes left. */
  public CompletableFuture<Status> status(Principal principal) {
    return on(storeExecutor, () -> {
      boolean enabled = store.credential(principal.userId()).map(TwoFactorStore.Credential::enabled).orElse(false);
      return new Status(enabled, enabled ? store.unusedRecoveryCodes(principal.userId()) : 0);
    });
  }

  /** A new secret to confirm with {@link #enable}; refused while two-factor sign-in is on. */
  public CompletableFuture<Setup> setup(Principal principal) {
    return signedIn(principal).thenCompose(ignored -> on(storeExecutor, () -> {
      if (accounts.passwordHash(principal.userId()).isEmpty()) {
        throw new AuthException(AuthException.Code.FORBIDDEN, "this account signs in through an identity provider"
            + " and has no password; two-factor sign-in protects password sign-in");
      }
      String secret = Totp.newSecret();
      if (!store.beginSetup(principal.userId(), secret, now())) {
        throw new AuthException(AuthException.Code.CONFLICT, "two-factor sign-in is on already; turn it off first");
      }
      return new Setup(secret, Totp.uri(issuer, principal.name(), secret));
    }));
  }

  /**
   * Turns two-factor sign-in on with a code of the secret being set up; returns the recovery
   * codes, shown this once.
   */
  public CompletableFuture<List<String>> enable(Principal principal, String code) {
    if (!Totp.looksLikeCode(code)) {
      return CompletableFuture.failedFuture(AuthException.invalid("code must be the 6 digits the app shows"));
    }
    return signedIn(principal).thenCompose(ignored -> on(storeExecutor, () -> {
      TwoFactorStore.Credential pending = store.credential(principal.userId())
          .filter(c -> !c.enabled())
          .orElseThrow(() -> new AuthException(AuthException.Code.CONFLICT,
              "nothing is being set up: start with totp/setup"));
      OptionalLong step = totp.matchingStep(pending.secret(), code, clock.instant());
      if (step.isEmpty()) {
        throw wrongCode();
      }
      List<String> codes = new ArrayList<>();
      List<String> hashes = new ArrayList<>();
      for (int i = 0; i < RECOVERY_CODES; i++) {
        String recovery = newRecoveryCode();
        codes.add(recovery);
        hashes.add(recoveryHash(principal.userId(), recovery));
      }
      if (!store.enable(principal.userId(), pending.secret(), step.getAsLong(), hashes, now())) {
        throw new AuthException(AuthException.Code.CONFLICT, "the setup changed meanwhile; start again");
      }
      return List.copyOf(codes);
    }));
  }

  /** Turns two-factor sign-in off, given the password and a current code or a recovery code. */
  public CompletableFuture<Void> disable(Principal principal, String password, String code) {
    if (password == null || code == null) {
      return CompletableFuture.failedFuture(AuthException.invalid("give the password and a code"));
    }
    return signedIn(principal).thenCompose(ignored -> on(hashExecutor, () -> {
      String hash = accounts.passwordHash(principal.userId()).orElseThrow(AuthException::unauthorized);
      if (password.length() > AccountService.MAX_PASSWORD_LENGTH * 2 || !passwords.matches(password, hash)) {
        throw new AuthException(AuthException.Code.FORBIDDEN, "the password is wrong");
      }
      TwoFactorStore.Credential on = store.credential(principal.userId()).filter(TwoFactorStore.Credential::enabled)
          .orElseThrow(() -> new AuthException(AuthException.Code.CONFLICT, "two-factor sign-in is off"));
      if (!accept(on, code)) {
        throw wrongCode();
      }
      store.disable(principal.userId());
      return null;
    }));
  }

  // ---- for AccountService, on its executors ---------------------------------------------------

  /** Whether a password sign-in of the user needs a second factor. */
  boolean required(long userId) {
    return store.credential(userId).map(TwoFactorStore.Credential::enabled).orElse(false);
  }

  /** Stores a new challenge for the user; throws what the password step answers with. */
  SecondFactorRequired challenge(long userId) {
    Instant now = now();
    String secret = Secrets.random(32);
    Instant expires = now.plus(CHALLENGE_LIFETIME);
    store.createChallenge(new TwoFactorStore.Challenge(Secrets.sha256(secret), userId, now, expires, 0));
    return new SecondFactorRequired(secret, expires);
  }

  /** The user a live challenge belongs to; {@code unauthorized} if it is unknown, used or expired. */
  long challengeOwner(String challenge) {
    return liveChallenge(challenge).userId();
  }

  /**
   * Completes a challenge with a code or a recovery code: the user's id. A wrong code counts
   * against the challenge, which is gone after {@link #MAX_FAILURES}; a right one uses it up.
   */
  long redeem(String challenge, String code) {
    TwoFactorStore.Challenge live = liveChallenge(challenge);
    TwoFactorStore.Credential credential = store.credential(live.userId()).filter(TwoFactorStore.Credential::enabled)
        .orElseThrow(AuthException::unauthorized);
    if (!accept(credential, code)) {
      if (store.failChallenge(live.id()) >= MAX_FAILURES) {
        store.consumeChallenge(live.id());
      }
      throw wrongCode();
    }
    if (!store.consumeChallenge(live.id())) {
      throw expiredChallenge();
    }
    return live.userId();
  }

  /** Forgets expired challenges; for a periodic sweep. */
  public void sweep() {
    store.deleteExpiredChallenges(now());
  }

  private TwoFactorStore.Challenge liveChallenge(String challenge) {
    if (challenge == null || challenge.length() != 43) {
      throw expiredChallenge();
    }
    return store.challenge(Secrets.sha256(challenge))
        .filter(c -> c.expiresAt().isAfter(now()) && c.failures() < MAX_FAILURES)
        .orElseThrow(TwoFactorService::expiredChallenge);
  }

  /** Checks a code (using up its step) or a recovery code (using it up). */
  private boolean accept(TwoFactorStore.Credential credential, String code) {
    String given = code == null ? "" : code.strip();
    if (Totp.looksLikeCode(given)) {
      OptionalLong step = totp.matchingStep(credential.secret(), given, clock.instant());
      return step.isPresent() && store.useStep(credential.userId(), step.getAsLong());
    }
    String recovery = normalizeRecoveryCode(given);
    return recovery.length() == 10 && store.useRecoveryCode(credential.userId(),
        recoveryHash(credential.userId(), recovery), now());
  }

  private static String newRecoveryCode() {
    StringBuilder out = new StringBuilder(11);
    for (int i = 0; i < 10; i++) {
      if (i == 5) {
        out.append('-');
      }
      out.append(RECOVERY_ALPHABET[RANDOM.nextInt(RECOVERY_ALPHABET.length)]);
    }
    return out.toString();
  }

  /** Lower case, without the dash and spaces people type or copy with it. */
  private static String normalizeRecoveryCode(String code) {
    return code.toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
  }

  private static String recoveryHash(long userId, String code) {
    return Secrets.sha256(userId + ":" + normalizeRecoveryCode(code));
  }

  private static CompletableFuture<Principal> signedIn(Principal principal) {
    if (principal.via() == Principal.Via.PERSONAL_TOKEN) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.FORBIDDEN,
          "a personal access token cannot change two-factor sign-in; sign in"));
    }
    return CompletableFuture.completedFuture(principal);
  }

  private static AuthException wrongCode() {
    return new AuthException(AuthException.Code.INVALID_CREDENTIALS, "the code is wrong or was used already");
  }

  private static AuthException expiredChallenge() {
    return new AuthException(AuthException.Code.UNAUTHORIZED,
        "the sign-in challenge is unknown, used or expired; sign in again");
  }

  private Instant now() {
    return Work.now(clock);
  }

  private static <T> CompletableFuture<T> on(Executor executor, Supplier<T> work) {
    return Work.on(executor, work);
  }
}
