package dev.parley.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email addresses proven with one-time codes. Setting an address leaves it unverified and sends
 * a 6-digit code to it; entering that code within {@link #CODE_LIFETIME} verifies it. Each code
 * has {@link #MAX_ATTEMPTS} checks, then it is dead; a new code replaces the previous one. An
 * address verified by one account cannot be set or verified by another (in any case); several
 * accounts may claim one address unverified, and the first to enter its code owns it.
 *
 * <p>Each code sent takes one permit of {@code sendLimit} (per account), checked once the request
 * is known to be valid, so that refused requests spend none. Codes are hashed on {@code hashExecutor}, stored on {@code storeExecutor} and mailed on
 * {@code mailExecutor}; nothing blocks the caller, and a full executor fails the call with
 * {@code overloaded}. Codes are never logged here and never part of an exception message.
 * Thread-safe.
 */
public final class EmailVerification {
  private static final Logger log = LoggerFactory.getLogger(EmailVerification.class);
  public static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
  public static final int MAX_ATTEMPTS = 5;

  /** The account after an address was set, and whether a code went out for it. */
  public record EmailSet(Account account, boolean codeSent) {}

  private final AccountStore accounts;
  private final EmailStore store;
  private final Mailer mailer;
  private final OneTimeCodes codes = new OneTimeCodes();
  private final Executor storeExecutor;
  private final Executor hashExecutor;
  private final Executor mailExecutor;
  private final LongFunction<Optional<Duration>> sendLimit;
  private final Clock clock;

  /**
   * @param sendLimit takes one permit to mail a code to the account with this id: empty if
   *     allowed, else how long until it would be
   */
  public EmailVerification(AccountStore accounts, EmailStore store, Mailer mailer, Executor storeExecutor,
      Executor hashExecutor, Executor mailExecutor, LongFunction<Optional<Duration>> sendLimit, Clock clock) {
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.store = Objects.requireNonNull(store, "store");
    this.mailer = Objects.requireNonNull(mailer, "mailer");
    this.storeExecutor = Objects.requireNonNull(storeExecutor, "storeExecutor");
    this.hashExecutor = Objects.requireNonNull(hashExecutor, "hashExecutor");
    this.mailExecutor = Objects.requireNonNull(mailExecutor, "mailExecutor");
    this.sendLimit = Objects.requireNonNull(sendLimit, "sendLimit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Gives the account {@code email}, unverified, and sends a code to it. Setting the address the
   * account has verified already changes nothing and sends nothing. Refused with {@code conflict}
   * if another account has verified the address, and with {@code forbidden} for a personal access
   * token. Fails with {@code mail_unavailable} if the address was set but the code could not be
   * mailed (ask for another).
   */
  public CompletableFuture<EmailSet> setEmail(Principal principal, String email) {
    if (principal.via() == Principal.Via.PERSONAL_TOKEN) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Code.FORBIDDEN,
          "a personal access token cannot change the email address; sign in"));
    }
    String address = email == null ? "" : email.strip();
    try {
      AccountRules.checkEmail(address);
    } catch (AuthException e) {
      return CompletableFuture.failedFuture(e);
    }
    return on(storeExecutor, () -> {
      Account before = account(principal.userId());
      boolean unchanged = before.emailVerified()
          && before.email().map(e -> e.equalsIgnoreCase(address)).orElse(false);
      if (!unchanged) {
        // Before anything changes: a refused request leaves the account as it was.
        takeSendPermit(principal.userId());
      }
      return switch (store.setEmail(principal.userId(), address)) {
        case NO_ACCOUNT -> throw AuthException.unauthorized();
        case TAKEN -> throw new AuthException(AuthException.Code.CONFLICT,
            "the address is verified by another account");
        case UNCHANGED, SET -> account(principal.userId());
      };
    }).thenCompose(account -> account.emailVerified()
        ? CompletableFuture.completedFuture(new EmailSet(account, false))
        : send(account).thenApply(ignored -> new EmailSet(account, true)));
  }

  /**
   * Sends a new code to the account's unverified address, in place of any earlier code. Refused
   * with {@code invalid_argument} when there is no address or it is verified already.
   */
  public CompletableFuture<Void> sendCode(Principal principal) {
    return on(storeExecutor, () -> account(principal.userId())).thenCompose(account -> {
      if (account.email().isEmpty()) {
        throw AuthException.invalid("the account has no email address; set one first");
      }
      if (account.emailVerified()) {
        throw AuthException.invalid("the email address is verified already");
      }
      takeSendPermit(account.id());
      return send(account);
    });
  }

  /**
   * Checks {@code code} against the account's code and, if it matches, marks the address
   * verified. A wrong code is {@code invalid_code} and uses up one of the code's attempts; an
   * expired or used-up code, or none, is {@code code_expired}.
   */
  public CompletableFuture<Account> verify(Principal principal, String code) {
    if (!OneTimeCodes.wellFormed(code)) {
      return CompletableFuture.failedFuture(AuthException.invalid("a code is " + OneTimeCodes.DIGITS + " digits"));
    }
    long userId = principal.userId();
    return on(hashExecutor, () -> {
      EmailCode stored = store.takeAttempt(userId, now(), MAX_ATTEMPTS).orElseThrow(() -> new AuthException(
          AuthException.Code.CODE_EXPIRED, "there is no code to check: it expired, was used up or was never sent;"
          + " ask for a new one"));
      if (!codes.matches(code, stored.salt(), stored.hash())) {
        int left = MAX_ATTEMPTS - stored.attempts();
        throw new AuthException(AuthException.Code.INVALID_CODE, left > 0
            ? "the code is wrong; " + left + (left == 1 ? " attempt" : " attempts") + " left"
            : "the code is wrong and has no attempts left; ask for a new one");
      }
      return switch (store.markVerified(userId, stored.address())) {
        case VERIFIED -> account(userId);
        case ADDRESS_CHANGED -> throw new AuthException(AuthException.Code.CODE_EXPIRED,
            "the email address changed after the code was sent; ask for a new one");
        case TAKEN -> throw new AuthException(AuthException.Code.CONFLICT,
            "another account verified this address first; set another one");
      };
    });
  }

  /** Deletes the codes that expired or have no attempts left; the future says how many. */
  public CompletableFuture<Integer> purgeExpired() {
    return on(storeExecutor, () -> store.purgeCodes(now(), MAX_ATTEMPTS));
  }

  /** Issues a code for the account's address, stores it, then mails it. */
  private CompletableFuture<Void> send(Account account) {
    String address = account.email().orElseThrow();
    return on(hashExecutor, codes::issue).thenCompose(issued -> on(storeExecutor, () -> {
      Instant now = now();
      store.saveCode(new EmailCode(account.id(), address.toLowerCase(Locale.ROOT), issued.salt(), issued.hash(), now,
          now.plus(CODE_LIFETIME), 0));
      return issued.code();
    })).thenCompose(code -> on(mailExecutor, () -> {
      try {
        mailer.sendVerificationCode(account.name(), address, code, CODE_LIFETIME);
      } catch (Mailer.MailException e) {
        log.warn("Could not mail a verification code to user {}: {}", account.id(), e.getMessage());
        throw new AuthException(AuthException.Code.MAIL_UNAVAILABLE,
            "the mail server cannot take the message now; ask for a new code later");
      }
      return null;
    }));
  }

  private void takeSendPermit(long userId) {
    sendLimit.apply(userId).ifPresent(wait -> {
      throw AuthException.rateLimited(wait, "too many codes were sent to this account; wait and try again");
    });
  }

  private Account account(long userId) {
    return accounts.account(userId).filter(Account::active).orElseThrow(AuthException::unauthorized);
  }

  private Instant now() {
    return Work.now(clock);
  }

  private static <T> CompletableFuture<T> on(Executor executor, Supplier<T> work) {
    return Work.on(executor, work);
  }
}
