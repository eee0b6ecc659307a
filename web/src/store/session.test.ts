import { beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../protocol/authApi';
import { FakeAuthApi, failure } from '../test-support/fakeAuthApi';
import { FakeClock } from '../test-support/fakeClock';
import { MemoryStorage } from '../test-support/memoryStorage';
import { loadIdentity, saveIdentity } from '../util/identity';
import { SessionStore } from './session';

const ADA: Account = { id: '42', name: 'ada', displayName: 'Ada Lovelace' };

/** Lets the store's awaited promises run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('SessionStore', () => {
  let api: FakeAuthApi;
  let clock: FakeClock;
  let storage: MemoryStorage;
  let session: SessionStore;

  beforeEach(() => {
    api = new FakeAuthApi();
    clock = new FakeClock();
    storage = new MemoryStorage();
    session = new SessionStore({ api, clock, storage });
  });

  /** Loads with nobody signed in and nothing remembered: the sign-in form. */
  async function atWelcome(): Promise<void> {
    void session.start();
    api.take('me').fail(failure(401, 'unauthorized'));
    await flush();
    expect(session.getState()).toMatchObject({ phase: 'welcome', view: 'signin' });
  }

  /** Signs in as Ada from the welcome screen. */
  async function signedIn(): Promise<void> {
    await atWelcome();
    void session.signIn('ada', 'correct horse');
    api.take('signIn').ok({ user: ADA });
    await flush();
  }

  describe('on load', () => {
    it('chats as the account the cookie signs in, and forgets a remembered guest', async () => {
      saveIdentity({ name: 'old guest', guestKey: 'k' }, storage);
      void session.start();
      expect(session.getState().phase).toBe('checking');
      api.take('me').ok({ user: ADA });
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'chat', who: { kind: 'account', account: ADA }, chat: 1 });
      expect(loadIdentity(storage)).toBeUndefined();
    });

    it('goes on as the remembered guest when nobody is signed in', async () => {
      saveIdentity({ name: 'zoë', guestKey: 'k1' }, storage);
      void session.start();
      api.take('me').fail(failure(401, 'unauthorized'));
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'chat', who: { kind: 'guest', identity: { name: 'zoë', guestKey: 'k1' } } });
    });

    it('shows the sign-in form, quietly, to a browser nobody signed in on', async () => {
      await atWelcome();
      expect(session.getState()).toMatchObject({ notice: undefined, error: undefined, checkFailed: false });
    });

    it('takes a server without the accounts API (a 404 page) as nobody signed in', async () => {
      void session.start();
      api.take('me').fail(failure(404, 'http_404', 'HTTP 404'));
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'welcome', notice: undefined, checkFailed: false });
    });

    it('says so when it cannot ask, and asks again on demand', async () => {
      void session.start();
      api.take('me').fail(failure(0, 'network', 'the server cannot be reached'));
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'welcome', checkFailed: true });
      expect(session.getState().notice).toMatch(/^Could not check whether you are signed in\. Cannot reach the server/);

      void session.start();
      api.take('me').ok({ user: ADA });
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'chat', checkFailed: false, notice: undefined });
    });
  });

  describe('signing in', () => {
    it('sends the name and password, and chats as the account', async () => {
      await atWelcome();
      void session.signIn('ada', 'correct horse');
      expect(session.getState().busy).toBe(true);
      const call = api.take('signIn');
      expect(call.args).toEqual(['ada', 'correct horse']);
      call.ok({ user: ADA });
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'chat', busy: false, who: { kind: 'account', account: ADA } });
    });

    it('says when the name or password is wrong, and stays on the form', async () => {
      await atWelcome();
      void session.signIn('ada', 'wrong');
      api.take('signIn').fail(failure(401, 'invalid_credentials', 'wrong name or password'));
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'welcome', busy: false, error: 'Wrong username or password.', lastName: 'ada' });
    });

    it('sends one request at a time', async () => {
      await atWelcome();
      void session.signIn('ada', 'one');
      void session.signIn('ada', 'two');
      api.take('signIn');
      expect(api.calls).toEqual([]);
    });

    it('waits as long as a 429 says before asking again', async () => {
      await atWelcome();
      void session.signIn('ada', 'guess');
      api.take('signIn').fail(failure(429, 'rate_limited', 'too many sign-in attempts', 30_000));
      await flush();
      expect(session.getState().error).toBe('Too many attempts. Try again in 30 seconds.');

      clock.advance(10_000);
      void session.signIn('ada', 'again');
      expect(api.calls).toEqual([]);
      expect(session.getState().error).toBe('Too many attempts. Try again in 20 seconds.');

      clock.advance(20_000);
      expect(session.getState()).toMatchObject({ blockedUntil: undefined, error: undefined });
      void session.signIn('ada', 'again');
      expect(api.take('signIn').args).toEqual(['ada', 'again']);
    });
  });

  describe('creating an account', () => {
    it('registers, then signs in with the same name and password', async () => {
      await atWelcome();
      session.show('register');
      void session.register({ username: 'ada', password: 'correct horse', displayName: 'Ada Lovelace' });
      const reg = api.take('register');
      expect(reg.args).toEqual([{ username: 'ada', password: 'correct horse', displayName: 'Ada Lovelace' }]);
      reg.ok({ user: ADA });
      await flush();
      expect(api.take('signIn').args).toEqual(['ada', 'correct horse']);
    });

    it('says when the name is taken', async () => {
      await atWelcome();
      session.show('register');
      void session.register({ username: 'ada', password: 'correct horse' });
      api.take('register').fail(failure(409, 'conflict', 'the name is taken'));
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'welcome', view: 'register', error: 'That username is taken. Choose another one.' });
    });

    it("shows the server's rule when it refuses a field", async () => {
      await atWelcome();
      session.show('register');
      void session.register({ username: 'ada', password: 'x' });
      api.take('register').fail(failure(400, 'invalid_argument', 'a password is 8-256 characters'));
      await flush();
      expect(session.getState().error).toBe('A password is 8-256 characters.');
    });

    it('sends to the sign-in form when the account was made but signing in failed', async () => {
      await atWelcome();
      session.show('register');
      void session.register({ username: 'ada', password: 'correct horse' });
      api.take('register').ok({ user: ADA });
      await flush();
      api.take('signIn').fail(failure(429, 'rate_limited', 'too many', 5000));
      await flush();
      expect(session.getState()).toMatchObject({
        phase: 'welcome', view: 'signin', lastName: 'ada',
        notice: 'Your account was created. Sign in to start chatting.',
        error: 'Too many attempts. Try again in 5 seconds.',
      });
    });
  });

  describe('guests', () => {
    it('remembers the guest and its key, and comes back under the same name with the same key', async () => {
      await atWelcome();
      session.show('guest');
      session.continueAsGuest('zoë');
      expect(session.getState()).toMatchObject({ phase: 'chat', who: { kind: 'guest', identity: { name: 'zoë' } } });
      session.guestSession({ name: 'zoë', guestKey: 'k1' });
      expect(loadIdentity(storage)).toEqual({ name: 'zoë', guestKey: 'k1' });

      session.leaveGuest('signin');
      expect(session.getState()).toMatchObject({ phase: 'welcome', view: 'signin', lastName: 'zoë' });
      expect(loadIdentity(storage)).toBeUndefined();

      session.show('guest');
      session.continueAsGuest('zoë');
      expect(session.getState().who).toEqual({ kind: 'guest', identity: { name: 'zoë', guestKey: 'k1' } });
      session.leaveGuest('guest');
      session.continueAsGuest('yann');
      expect(session.getState().who).toEqual({ kind: 'guest', identity: { name: 'yann' } });
    });

    it('gives each chat a connection of its own', async () => {
      await atWelcome();
      session.continueAsGuest('zoë');
      const first = session.getState().chat;
      session.leaveGuest('guest');
      session.continueAsGuest('zoë');
      expect(session.getState().chat).toBe(first + 1);
    });

    it('takes an unauthorized guest as a server for accounts only', async () => {
      await atWelcome();
      session.continueAsGuest('zoë');
      session.chatEnded({ refusal: 'unauthorized' });
      expect(session.getState()).toMatchObject({
        phase: 'welcome', view: 'signin', guestsRefused: true,
        notice: 'This server requires an account. Sign in, or create one.',
      });
      expect(loadIdentity(storage)).toBeUndefined();
      session.show('guest');
      session.continueAsGuest('zoë');
      expect(session.getState()).toMatchObject({ phase: 'welcome', view: 'signin' });
    });

    it('asks for another name when the server refuses this one', async () => {
      await atWelcome();
      session.continueAsGuest('zoë');
      session.chatEnded({ refusal: 'name_taken' });
      expect(session.getState()).toMatchObject({
        phase: 'welcome', view: 'guest', lastName: 'zoë', error: 'Someone online is already using that name. Pick another one.',
      });
    });
  });

  describe('signed in', () => {
    it('signs out, and a signed_out caused by it says nothing more', async () => {
      await signedIn();
      void session.signOut();
      expect(session.getState()).toMatchObject({ phase: 'chat', busy: true });
      session.chatEnded({ signedOut: 'signed out' }); // the server tells this connection first
      expect(session.getState().phase).toBe('chat');
      api.take('signOut').ok();
      await flush();
      expect(session.getState()).toMatchObject({
        phase: 'welcome', view: 'signin', who: undefined, busy: false, notice: 'You signed out.', lastName: '',
      });
    });

    it('stays signed in when signing out fails, then honours an end that came meanwhile', async () => {
      await signedIn();
      void session.signOut();
      api.take('signOut').fail(failure(0, 'network'));
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'chat', busy: false });
      expect(session.getState().error).toMatch(/^Could not sign out\. Cannot reach the server/);

      void session.signOut();
      session.chatEnded({ signedOut: 'signed out' });
      api.take('signOut').fail(failure(503, 'unavailable'));
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'welcome', view: 'signin' });
    });

    it('says why when the sign-in ended elsewhere, with the username ready', async () => {
      await signedIn();
      session.chatEnded({ signedOut: 'signed out' });
      const s = session.getState();
      expect(s).toMatchObject({ phase: 'welcome', view: 'signin', lastName: 'ada', who: undefined });
      expect(s.notice).toMatch(/^You were signed out: .*password was changed/);
      session.chatEnded({ signedOut: 'signed out' }); // nothing left to end
      expect(session.getState()).toBe(s);
    });

    it('says when the account was deactivated, or the connection no longer signs in', async () => {
      await signedIn();
      session.chatEnded({ signedOut: 'account deactivated' });
      expect(session.getState().notice).toBe('Your account was deactivated.');
      void session.signIn('ada', 'correct horse');
      api.take('signIn').ok({ user: ADA });
      await flush();
      session.chatEnded({ refusal: 'invalid_name' }); // a stale cookie falls back to a guest without a name
      expect(session.getState().notice).toBe('Your sign-in has ended. Sign in again.');
    });

    it('changes the password, saying when the current one is wrong', async () => {
      await signedIn();
      const wrong = session.changePassword('nope', 'new password 1');
      const call = api.take('changePassword');
      expect(call.args).toEqual(['nope', 'new password 1']);
      call.fail(failure(403, 'forbidden', 'the current password is wrong'));
      expect(await wrong).toBe('The current password is wrong.');

      const right = session.changePassword('correct horse', 'new password 1');
      api.take('changePassword').ok();
      expect(await right).toBeUndefined();
      expect(session.getState().phase).toBe('chat');
    });
  });

  describe('two-factor sign-in', () => {
    /** The password is right and the account has two-factor sign-in: the code step. */
    async function atCodeStep(): Promise<void> {
      await atWelcome();
      void session.signIn('ada', 'correct horse');
      api.take('signIn').ok({ challenge: 'the-challenge' });
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'welcome', busy: false, challenge: 'the-challenge', error: undefined });
    }

    it('asks for the code after the password, then chats', async () => {
      await atCodeStep();
      void session.verifyTotp(' 123456 ');
      const call = api.take('verifyTotp');
      expect(call.args).toEqual(['the-challenge', '123456']);
      call.ok({ user: ADA });
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'chat', who: { kind: 'account', account: ADA }, challenge: undefined });
    });

    it('says when the code is wrong and lets another be tried', async () => {
      await atCodeStep();
      void session.verifyTotp('000000');
      api.take('verifyTotp').fail(failure(401, 'invalid_credentials', 'the code is wrong or was used already'));
      await flush();
      expect(session.getState()).toMatchObject({ challenge: 'the-challenge', busy: false,
        error: 'Wrong code, or a code used already. Try the next one the app shows.' });
      void session.verifyTotp('abcde-fghjk');
      expect(api.take('verifyTotp').args).toEqual(['the-challenge', 'abcde-fghjk']);
    });

    it('goes back to the password when the challenge is over', async () => {
      await atCodeStep();
      void session.verifyTotp('123456');
      api.take('verifyTotp').fail(failure(401, 'unauthorized', 'the sign-in challenge is unknown, used or expired'));
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'welcome', challenge: undefined,
        error: 'That took too long, or too many codes were wrong. Sign in again.' });
    });

    it('can go back to the password by choice', async () => {
      await atCodeStep();
      session.cancelTotp();
      expect(session.getState()).toMatchObject({ phase: 'welcome', view: 'signin', challenge: undefined });
      void session.verifyTotp('123456');
      expect(api.calls).toEqual([]);
    });
  });

  describe('sign-in providers', () => {
    it('asks once for the providers to offer', async () => {
      await atWelcome();
      void session.loadProviders();
      void session.loadProviders();
      api.take('providers').ok({ providers: [{ id: 'corp', name: 'Corp SSO', startUrl: '/api/v1/auth/oidc/corp/start' }] });
      await flush();
      expect(api.calls).toEqual([]);
      expect(session.getState().providers).toEqual([{ id: 'corp', name: 'Corp SSO', startUrl: '/api/v1/auth/oidc/corp/start' }]);
    });

    it('offers none when the server cannot say', async () => {
      await atWelcome();
      void session.loadProviders();
      api.take('providers').fail(failure(404, 'not_found'));
      await flush();
      expect(session.getState().providers).toEqual([]);
    });

    it("says why a provider's sign-in failed, once", async () => {
      session = new SessionStore({ api, clock, storage, signInError: 'access_denied' });
      await atWelcome();
      expect(session.getState().notice).toBe('The sign-in was cancelled or refused at the provider.');
      void session.start();
      api.take('me').fail(failure(401, 'unauthorized'));
      await flush();
      expect(session.getState().notice).toBeUndefined();
    });

    it('says nothing of an old error when the cookie signs in', async () => {
      session = new SessionStore({ api, clock, storage, signInError: 'expired' });
      void session.start();
      api.take('me').ok({ user: ADA });
      await flush();
      expect(session.getState()).toMatchObject({ phase: 'chat', notice: undefined });
    });
  });
});
