package dev.parley.server.auth;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.parley.server.chat.User;
import dev.parley.server.store.Database;
import dev.parley.server.store.IdGenerator;
import dev.parley.server.store.JdbcAccountStore;
import dev.parley.server.store.JdbcChatStore;
import dev.parley.server.store.JdbcTwoFactorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts service on a real SQLite store, real Argon2id hashing and real tokens, with a clock
 * the tests move instead of waiting.
 */
@Timeout(60)
class AccountServiceTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final String PASSWORD = "correct horse battery staple";
  static final String UA = "Mozilla/5.0 (test)";
  static Passwords passwords;

  @TempDir
  Path dir;
  final TestClock clock = new TestClock(T0);
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  Database database;
  JdbcAccountStore store;
  JdbcChatStore chat;
  ExecutorService storeExecutor;
  ExecutorService hashExecutor;
  AccountService accounts;

  @BeforeAll
  static void hasher() {
    passwords = new Passwords();
  }

  @BeforeEach
  void start() throws Exception {
    database = Database.open("jdbc:sqlite:" + dir.resolve("parley.db"));
    IdGenerator ids = new IdGenerator(1);
    store = new JdbcAccountStore(database, ids);
    chat = new JdbcChatStore(database, ids);
    storeExecutor = Executors.newFixedThreadPool(4);
    hashExecutor = Executors.newFixedThreadPool(2);
    TokenService tokens = new TokenService(new ECKeyGenerator(Curve.P_256).keyID("k").generate(), clock);
    AuthEvents recorder = new AuthEvents() {
      @Override
      public void sessionRevoked(String sessionId) {
        events.add("session " + sessionId);
      }

      @Override
      public void personalTokenRevoked(String tokenId) {
        events.add("token " + tokenId);
      }

      @Override
      public void userRevoked(long userId) {
        events.add("user " + userId);
      }
    };
    TwoFactorService twoFactor = new TwoFactorService(new JdbcTwoFactorStore(database), store, passwords,
        storeExecutor, hashExecutor, "Parley", clock);
    accounts = new AccountService(store, tokens, passwords, storeExecutor, hashExecutor, recorder, twoFactor, clock);
  }

  @AfterEach
  void stop() {
    storeExecutor.shutdownNow();
    hashExecutor.shutdownNow();
    database.close();
  }

  // ---- registration ----------------------------------------------------------------------------

  @Test
  void registrationStoresAnArgon2idHashNeverThePassword() throws Exception {
    Account ada = await(accounts.register(" Ada ", PASSWORD, Optional.of(" Ada Lovelace "),
        Optional.of("ada@example.org")));

    assertThat(ada.name()).isEqualTo("Ada");
    assertThat(ada.displayName()).contains("Ada Lovelace");
    assertThat(ada.email()).contains("ada@example.org");
    assertThat(ada.role()).isEqualTo(Role.USER);
    assertThat(ada.createdAt()).isEqualTo(T0);
    String hash = store.passwordHash(ada.id()).orElseThrow();
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(PASSWORD);
    String[] phc = hash.split("\\$");
    assertThat(java.util.Base64.getDecoder().decode(pad(phc[4]))).hasSize(16);
    assertThat(java.util.Base64.getDecoder().decode(pad(phc[5]))).hasSize(32);
  }

  @Test
  void aNameIsTakenInAnyCaseByAccountsAndGuestsAlike() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    chat.createUser("Guest Bob", User.Kind.GUEST, Optional.of("key-hash"));

    assertThat(refused(accounts.register("aDA", PASSWORD, Optional.empty(), Optional.empty())).code())
        .isEqualTo(AuthException.Code.CONFLICT);
    assertThat(refused(accounts.register("guest bob", PASSWORD, Optional.empty(), Optional.empty())).code())
        .isEqualTo(AuthException.Code.CONFLICT);
  }

  @Test
  void passwordsAre8To256CharactersAndNotTheUsername() throws Exception {
    for (String bad : new String[] {null, "", "short", "1234567", "x".repeat(257), "Adalovelace", "ADALOVELACE"}) {
      AuthException e = refused(accounts.register("AdaLovelace", bad, Optional.empty(), Optional.empty()));
      assertThat(e.code()).as(String.valueOf(bad)).isEqualTo(AuthException.Code.INVALID_ARGUMENT);
    }
    await(accounts.register("Ada", "12345678", Optional.empty(), Optional.empty()));
    await(accounts.register("Bob", "x".repeat(256), Optional.empty(), Optional.empty()));
    await(accounts.register("Cy", "\uD83D\uDD11".repeat(8), Optional.empty(), Optional.empty()));
  }

  @Test
  void namesDisplayNamesAndEmailsAreChecked() {
    List<CompletableFuture<Account>> bad = List.of(
        accounts.register(null, PASSWORD, Optional.empty(), Optional.empty()),
        accounts.register("", PASSWORD, Optional.empty(), Optional.empty()),
        accounts.register("a".repeat(33), PASSWORD, Optional.empty(), Optional.empty()),
        accounts.register("ada<script>", PASSWORD, Optional.empty(), Optional.empty()),
        accounts.register("ada\u0000", PASSWORD, Optional.empty(), Optional.empty()),
        accounts.register("ada", PASSWORD, Optional.of("x".repeat(65)), Optional.empty()),
        accounts.register("ada", PASSWORD, Optional.of("line\nbreak"), Optional.empty()),
        accounts.register("ada", PASSWORD, Optional.empty(), Optional.of("not an address")),
        accounts.register("ada", PASSWORD, Optional.empty(), Optional.of("a@b.c\u0000")));
    for (CompletableFuture<Account> future : bad) {
      assertThat(refused(future).code()).isEqualTo(AuthException.Code.INVALID_ARGUMENT);
    }
  }

  // ---- sign-in and sign-out --------------------------------------------------------------------

  @Test
  void signingInOpensASessionThatAuthenticates() throws Exception {
    Account ada = await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));

    AccountService.SignedIn signedIn = await(accounts.signIn("ADA", PASSWORD, UA));

    assertThat(signedIn.account()).isEqualTo(ada);
    assertThat(signedIn.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(signedIn.session().id()).isNotEqualTo(signedIn.token()).hasSize(64);
    assertThat(signedIn.session().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(signedIn.session().userAgent()).isEqualTo(UA);
    assertThat(await(accounts.authenticate(signedIn.token()))).contains(
        new Principal(ada.id(), "Ada", Role.USER, Principal.Via.SESSION, signedIn.session().id()));
    assertThat(await(accounts.authenticate("parley_session=" + signedIn.token() + "; theme=dark", null)))
        .map(Principal::userId).contains(ada.id());
    assertThat(await(accounts.authenticate("theme=dark; parley_session=" + signedIn.token(), null))).isPresent();
  }

  @Test
  void aWrongPasswordAnUnknownNameAndAGuestNameGetTheSameAnswer() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    chat.createUser("guest", User.Kind.GUEST, Optional.empty());

    AuthException wrong = refused(accounts.signIn("ada", PASSWORD + "!", UA));
    AuthException unknown = refused(accounts.signIn("nobody", PASSWORD, UA));
    AuthException guest = refused(accounts.signIn("guest", PASSWORD, UA));

    for (AuthException e : List.of(wrong, unknown, guest)) {
      assertThat(e.code()).isEqualTo(AuthException.Code.INVALID_CREDENTIALS);
      assertThat(e.getMessage()).isEqualTo(wrong.getMessage()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void signingOutEndsTheSessionAndItsTokens() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    AccountService.SignedIn signedIn = await(accounts.signIn("Ada", PASSWORD, UA));
    Principal session = await(accounts.authenticate(signedIn.token())).orElseThrow();
    AccountService.Tokens tokens = await(accounts.issueTokens(session));

    await(accounts.signOut(session));

    assertThat(events.poll(5, SECONDS)).isEqualTo("session " + signedIn.session().id());
    assertThat(await(accounts.authenticate(signedIn.token()))).isEmpty();
    assertThat(await(accounts.authenticate(tokens.accessToken().value()))).as("access token of the session").isEmpty();
    assertThat(refused(accounts.refresh(tokens.refreshToken())).code()).isEqualTo(AuthException.Code.UNAUTHORIZED);
    await(accounts.signOut(session));
    assertThat(events).as("a second sign-out announces nothing").isEmpty();
  }

  @Test
  void aSessionEndsAfter30Days() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    String token = await(accounts.signIn("Ada", PASSWORD, UA)).token();

    clock.advance(Duration.ofDays(30).minusSeconds(1));
    assertThat(await(accounts.authenticate(token))).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(await(accounts.authenticate(token))).isEmpty();
  }

  @Test
  void aSessionsLastUseIsRecordedEveryFewMinutes() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    AccountService.SignedIn signedIn = await(accounts.signIn("Ada", PASSWORD, UA));

    clock.advance(Duration.ofMinutes(1));
    await(accounts.authenticate(signedIn.token()));
    assertThat(store.session(signedIn.session().id()).orElseThrow().session().lastSeenAt()).isEqualTo(T0);
    clock.advance(Duration.ofMinutes(5));
    await(accounts.authenticate(signedIn.token()));
    assertThat(store.session(signedIn.session().id()).orElseThrow().session().lastSeenAt())
        .isEqualTo(T0.plus(Duration.ofMinutes(6)));
  }

  // ---- password change and deactivation --------------------------------------------------------

  @Test
  void changingThePasswordRevokesEveryOtherSessionAndToken() throws Exception {
    Account ada = await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    AccountService.SignedIn here = await(accounts.signIn("Ada", PASSWORD, UA));
    AccountService.SignedIn there = await(accounts.signIn("Ada", PASSWORD, "another browser"));
    Principal herePrincipal = await(accounts.authenticate(here.token())).orElseThrow();
    Principal therePrincipal = await(accounts.authenticate(there.token())).orElseThrow();
    AccountService.Tokens thereTokens = await(accounts.issueTokens(therePrincipal));
    AccountService.NewPersonalToken bot = await(accounts.createPersonalToken(herePrincipal, "bot", Optional.empty()));

    await(accounts.changePassword(herePrincipal, PASSWORD, "a new and better password"));

    assertThat(List.of(events.poll(5, SECONDS), events.poll(5, SECONDS)))
        .containsExactlyInAnyOrder("session " + there.session().id(), "token " + bot.token().id());
    assertThat(await(accounts.authenticate(here.token()))).as("the session that changed it").isPresent();
    assertThat(await(accounts.authenticate(there.token()))).isEmpty();
    assertThat(await(accounts.authenticate(thereTokens.accessToken().value()))).isEmpty();
    assertThat(refused(accounts.refresh(thereTokens.refreshToken())).code()).isEqualTo(AuthException.Code.UNAUTHORIZED);
    assertThat(await(accounts.authenticate(bot.secret()))).isEmpty();
    assertThat(refused(accounts.signIn("Ada", PASSWORD, UA)).code()).isEqualTo(AuthException.Code.INVALID_CREDENTIALS);
    assertThat(await(accounts.signIn("Ada", "a new and better password", UA)).account().id()).isEqualTo(ada.id());
  }

  @Test
  void changingThePasswordNeedsTheCurrentOneAndASession() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    Principal session = await(accounts.authenticate(await(accounts.signIn("Ada", PASSWORD, UA)).token())).orElseThrow();
    Principal bot = await(accounts.authenticate(
        await(accounts.createPersonalToken(session, "bot", Optional.empty())).secret())).orElseThrow();

    assertThat(refused(accounts.changePassword(session, "wrong password", "a new password")).code())
        .isEqualTo(AuthException.Code.FORBIDDEN);
    assertThat(refused(accounts.changePassword(session, PASSWORD, "Ada")).code())
        .isEqualTo(AuthException.Code.INVALID_ARGUMENT);
    assertThat(refused(accounts.changePassword(bot, PASSWORD, "a new password")).code())
        .isEqualTo(AuthException.Code.FORBIDDEN);
    assertThat(await(accounts.signIn("Ada", PASSWORD, UA))).isNotNull();
  }

  @Test
  void aDeactivatedAccountCanNeitherSignInNorUseAnyCredential() throws Exception {
    Account ada = await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    AccountService.SignedIn signedIn = await(accounts.signIn("Ada", PASSWORD, UA));
    Principal session = await(accounts.authenticate(signedIn.token())).orElseThrow();
    AccountService.Tokens tokens = await(accounts.issueTokens(session));
    String bot = await(accounts.createPersonalToken(session, "bot", Optional.empty())).secret();

    await(accounts.deactivate(ada.id()));

    assertThat(events.poll(5, SECONDS)).isEqualTo("user " + ada.id());
    for (String credential : List.of(signedIn.token(), tokens.accessToken().value(), bot)) {
      assertThat(await(accounts.authenticate(credential))).isEmpty();
    }
    assertThat(refused(accounts.refresh(tokens.refreshToken())).code()).isEqualTo(AuthException.Code.UNAUTHORIZED);
    AuthException signIn = refused(accounts.signIn("Ada", PASSWORD, UA));
    assertThat(signIn.code()).isEqualTo(AuthException.Code.INVALID_CREDENTIALS);
    assertThat(refused(accounts.register("ada", PASSWORD, Optional.empty(), Optional.empty())).code())
        .as("the name stays taken").isEqualTo(AuthException.Code.CONFLICT);
    assertThat(refused(accounts.deactivate(ada.id())).code()).isEqualTo(AuthException.Code.NOT_FOUND);
  }

  // ---- access and refresh tokens ---------------------------------------------------------------

  @Test
  void aSessionIsExchangedForAnAccessTokenOfTheSameSession() throws Exception {
    Account ada = await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    AccountService.SignedIn signedIn = await(accounts.signIn("Ada", PASSWORD, UA));
    Principal session = await(accounts.authenticate(signedIn.token())).orElseThrow();

    AccountService.Tokens tokens = await(accounts.issueTokens(session));

    assertThat(tokens.refreshToken()).startsWith("parley_rt_");
    assertThat(tokens.accessToken().expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    Principal viaToken = await(accounts.authenticate(tokens.accessToken().value())).orElseThrow();
    assertThat(viaToken).isEqualTo(new Principal(ada.id(), "Ada", Role.USER, Principal.Via.ACCESS_TOKEN,
        signedIn.session().id()));
    assertThat(await(accounts.authenticate(null, tokens.accessToken().value()))).contains(viaToken);
    assertThat(refused(accounts.issueTokens(viaToken)).code()).as("a token cannot mint more")
        .isEqualTo(AuthException.Code.FORBIDDEN);
    assertThat(await(accounts.authenticate(null, signedIn.token()))).as("a session token is no bearer token").isEmpty();
    assertThat(await(accounts.authenticate(null, tokens.refreshToken()))).as("nor is a refresh token").isEmpty();

    clock.advance(Duration.ofMinutes(17));
    assertThat(await(accounts.authenticate(tokens.accessToken().value()))).isEmpty();
  }

  @Test
  void refreshTokensRotateAndAReusedOneRevokesItsFamilyAndSession() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    AccountService.SignedIn signedIn = await(accounts.signIn("Ada", PASSWORD, UA));
    Principal session = await(accounts.authenticate(signedIn.token())).orElseThrow();
    AccountService.Tokens first = await(accounts.issueTokens(session));

    clock.advance(Duration.ofMinutes(14));
    AccountService.Tokens second = await(accounts.refresh(first.refreshToken()));
    AccountService.Tokens third = await(accounts.refresh(second.refreshToken()));

    assertThat(List.of(first.refreshToken(), second.refreshToken(), third.refreshToken())).doesNotHaveDuplicates();
    assertThat(second.accessToken().expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(29)));
    assertThat(await(accounts.authenticate(third.accessToken().value()))).isPresent();
    assertThat(events).isEmpty();

    // Someone replays the first token: whoever holds the family now is no longer trusted.
    assertThat(refused(accounts.refresh(first.refreshToken())).code()).isEqualTo(AuthException.Code.UNAUTHORIZED);

    assertThat(events.poll(5, SECONDS)).isEqualTo("session " + signedIn.session().id());
    assertThat(refused(accounts.refresh(third.refreshToken())).code()).isEqualTo(AuthException.Code.UNAUTHORIZED);
    assertThat(await(accounts.authenticate(third.accessToken().value()))).isEmpty();
    assertThat(await(accounts.authenticate(signedIn.token()))).isEmpty();
  }

  @Test
  void refreshTokensOfTheSameSessionThatAreNotReusedKeepWorking() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    Principal session = await(accounts.authenticate(await(accounts.signIn("Ada", PASSWORD, UA)).token())).orElseThrow();
    AccountService.Tokens cli = await(accounts.issueTokens(session));
    AccountService.Tokens bot = await(accounts.issueTokens(session));

    await(accounts.refresh(cli.refreshToken()));

    assertThat(await(accounts.refresh(bot.refreshToken()))).isNotNull();
  }

  @Test
  void malformedOrUnknownRefreshTokensAreRefused() {
    for (String token : new String[] {null, "", "parley_rt_", "parley_rt_" + "A".repeat(43), "parley_rt_short",
        "parley_pat_" + "A".repeat(43), "x".repeat(5000)}) {
      assertThat(refused(accounts.refresh(token)).code()).as(String.valueOf(token))
          .isEqualTo(AuthException.Code.UNAUTHORIZED);
    }
  }

  @Test
  void aRefreshTokenEndsWithItsSession() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    Principal session = await(accounts.authenticate(await(accounts.signIn("Ada", PASSWORD, UA)).token())).orElseThrow();
    AccountService.Tokens tokens = await(accounts.issueTokens(session));

    clock.advance(Duration.ofDays(30));

    assertThat(refused(accounts.refresh(tokens.refreshToken())).code()).isEqualTo(AuthException.Code.UNAUTHORIZED);
  }

  // ---- personal access tokens ------------------------------------------------------------------

  @Test
  void personalAccessTokensLiveUntilRevoked() throws Exception {
    Account ada = await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    Principal session = await(accounts.authenticate(await(accounts.signIn("Ada", PASSWORD, UA)).token())).orElseThrow();

    AccountService.NewPersonalToken made = await(accounts.createPersonalToken(session, " deploy bot ", Optional.empty()));

    assertThat(made.secret()).startsWith("parley_pat_").startsWith(made.token().prefix()).hasSize(54);
    assertThat(made.token().name()).isEqualTo("deploy bot");
    Principal bot = await(accounts.authenticate(null, made.secret())).orElseThrow();
    assertThat(bot).isEqualTo(new Principal(ada.id(), "Ada", Role.USER, Principal.Via.PERSONAL_TOKEN,
        Long.toString(made.token().id())));
    assertThat(bot.sessionId()).isEmpty();
    assertThat(await(accounts.personalTokens(session))).extracting(PersonalToken::id).containsExactly(made.token().id());
    assertThat(refused(accounts.createPersonalToken(bot, "another", Optional.empty())).code())
        .isEqualTo(AuthException.Code.FORBIDDEN);
    assertThat(refused(accounts.signOut(bot)).code()).isEqualTo(AuthException.Code.FORBIDDEN);

    await(accounts.revokePersonalToken(session, made.token().id()));

    assertThat(events.poll(5, SECONDS)).isEqualTo("token " + made.token().id());
    assertThat(await(accounts.authenticate(made.secret()))).isEmpty();
    assertThat(await(accounts.personalTokens(session))).isEmpty();
    assertThat(refused(accounts.revokePersonalToken(session, made.token().id())).code())
        .isEqualTo(AuthException.Code.NOT_FOUND);
  }

  @Test
  void aPersonalAccessTokenIsRevokedOnlyByItsOwnerAndExpiresWhenAsked() throws Exception {
    await(accounts.register("Ada", PASSWORD, Optional.empty(), Optional.empty()));
    await(accounts.register("Bob", PASSWORD, Optional.empty(), Optional.empty()));
    Principal ada = await(accounts.authenticate(await(accounts.signIn("Ada", PASSWORD, UA)).token())).orElseThrow();
    Principal bob = await(accounts.authenticate(await(accounts.signIn("Bob", PASSWORD, UA)).token())).orElseThrow();
    AccountService.NewPersonalToken made = await(accounts.createPersonalToken(ada, "ci", Optional.of(Duration.ofDays(7))));

    assertThat(refused(accounts.revokePersonalToken(bob, made.token().id())).code())
        .isEqualTo(AuthException.Code.NOT_FOUND);
    assertThat(await(accounts.authenticate(made.secret()))).isPresent();
    clock.advance(Duration.ofDays(7));
    assertThat(await(accounts.authenticate(made.secret()))).isEmpty();
    assertThat(refused(accounts.createPersonalToken(ada, "", Optional.empty())).code())
        .isEqualTo(AuthException.Code.INVALID_ARGUMENT);
    assertThat(refused(accounts.createPersonalToken(ada, "x", Optional.of(Duration.ofDays(400)))).code())
        .isEqualTo(AuthException.Code.INVALID_ARGUMENT);
  }

  // ---- authentication of anything --------------------------------------------------------------

  @Test
  void garbageAuthenticatesNobodyAndNeverThrows() throws Exception {
    String[] garbage = {"", " ", "a", "a.b.c", "parley_pat_", "parley_pat_" + "!".repeat(43), "A".repeat(43),
        "\u0000", "x".repeat(100_000), "parley_session", "..", "\uD800"};
    for (String credential : garbage) {
      assertThat(await(accounts.authenticate(credential))).as(credential).isEmpty();
      assertThat(await(accounts.authenticate("parley_session=" + credential, null))).as(credential).isEmpty();
      assertThat(await(accounts.authenticate(null, credential))).as(credential).isEmpty();
    }
    assertThat(await(accounts.authenticate(null))).isEmpty();
    assertThat(await(accounts.authenticate(null, null))).isEmpty();
    assertThat(await(accounts.authenticate("theme=dark", null))).isEmpty();
  }

  @Test
  void theSessionCookieIsFoundAmongOthers() {
    assertThat(AccountService.sessionCookie("a=1; parley_session=abc; b=2")).contains("abc");
    assertThat(AccountService.sessionCookie("parley_session=\"abc\"")).contains("abc");
    assertThat(AccountService.sessionCookie("xparley_session=abc")).isEmpty();
    assertThat(AccountService.sessionCookie("parley_session")).isEmpty();
    assertThat(AccountService.sessionCookie(null)).isEmpty();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(20, SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    }
  }

  /** The refusal a future fails with. */
  private static AuthException refused(CompletableFuture<?> future) {
    try {
      Object value = future.get(20, SECONDS);
      return fail("expected a refusal, got " + value);
    } catch (ExecutionException e) {
      Throwable cause = AccountService.unwrap(e.getCause());
      if (cause instanceof AuthException auth) {
        return auth;
      }
      throw new AssertionError("expected an AuthException, got " + cause, cause);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String pad(String base64) {
    return base64 + "=".repeat((4 - base64.length() % 4) % 4);
  }
}
