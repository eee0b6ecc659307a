import type { Account, AuthApi, AuthFailure, Registration, SignInProvider } from '../protocol/authApi';
import type { Unsubscribe } from '../protocol/transport';
import { AUTH_ERRORS } from '../protocol/types';
import { type AuthAction, authErrorText, providerErrorText, signedOutText } from '../util/accounts';
import { type Identity, clearIdentity, loadIdentity, refusalText, saveIdentity } from '../util/identity';
import { type Clock, systemClock } from './typing';

/** The form the welcome screen shows. */
export type WelcomeView = 'signin' | 'register' | 'guest';

/** Who this browser chats as. */
export type Who =
  | { readonly kind: 'account'; readonly account: Account }
  | { readonly kind: 'guest'; readonly identity: Identity };

/** checking: asking the server who the cookie signs in; welcome: the forms; chat: connected as `who`. */
export type SessionPhase = 'checking' | 'welcome' | 'chat';

export interface SessionState {
  readonly phase: SessionPhase;
  /** Set in the chat phase. */
  readonly who: Who | undefined;
  /** Counts the chats begun, so that each one gets a connection (and a chat state) of its own. */
  readonly chat: number;
  readonly view: WelcomeView;
  /** A sign-in, registration or sign-out is under way. */
  readonly busy: boolean;
  /** Why the last of those failed, said next to its form or the account menu. */
  readonly error: string | undefined;
  /** Why the welcome screen shows: signed out here or elsewhere, refused, … */
  readonly notice: string | undefined;
  /** Asking who is signed in failed (no answer, server error): the welcome screen offers to ask again. */
  readonly checkFailed: boolean;
  /** A guest was refused as `unauthorized`: the server takes accounts only. */
  readonly guestsRefused: boolean;
  /** The name to put in the forms: the guest name or username last used. */
  readonly lastName: string;
  /** Rate limited until then (clock time): sign-in and registration wait. */
  readonly blockedUntil: number | undefined;
  /** The password was right and the account has two-factor sign-in: the challenge the code completes. */
  readonly challenge: string | undefined;
  /** The OpenID Connect providers the server offers, once asked. */
  readonly providers: readonly SignInProvider[];
}

/** How a chat connection ended: refused by the server, or told that its sign-in ended. */
export type ChatEnd = { readonly refusal: string } | { readonly signedOut: string };

export const INITIAL_SESSION: SessionState = {
  phase: 'checking',
  who: undefined,
  chat: 0,
  view: 'signin',
  busy: false,
  error: undefined,
  notice: undefined,
  checkFailed: false,
  guestsRefused: false,
  lastName: '',
  blockedUntil: undefined,
  challenge: undefined,
  providers: [],
};

export interface SessionStoreOptions {
  readonly api: AuthApi;
  readonly clock?: Clock;
  /** Where the guest identity is kept; localStorage by default. */
  readonly storage?: Storage;
  /** Why a sign-in through a provider failed (the `signin_error` the server sent the page back with). */
  readonly signInError?: string | undefined;
}

/** Used when a 429 comes without a wait (it always has one from Parley). */
const DEFAULT_RATE_LIMIT_MS = 60_000;

/**
 * Who the browser is and how it got there: the sign-in check on load, the welcome screen's forms,
 * sign-out and password changes, and what happens when a chat connection is refused or signed
 * out. The chat itself is a ChatStore, made anew for each chat this store begins. All methods
 * run on the browser's one thread.
 */
export class SessionStore {
  private readonly api: AuthApi;
  private readonly clock: Clock;
  private readonly storage: Storage;
  private state: SessionState = INITIAL_SESSION;
  private readonly listeners = new Set<() => void>();
  /** The guest this page last chatted as, kept so that coming back under that name keeps its key. */
  private formerGuest: Identity | undefined;
  /** Set while a sign-out request runs; a chat end reported meanwhile waits in `endDuringSignOut`. */
  private signingOut = false;
  private endDuringSignOut: ChatEnd | undefined;
  private unblockTimer: unknown;
  private rateLimitText: string | undefined;
  /** Said on the welcome screen the first time it shows: why a provider's sign-in failed. */
  private providerError: string | undefined;
  private providersAsked = false;

  constructor(options: SessionStoreOptions) {
    this.api = options.api;
    this.clock = options.clock ?? systemClock;
    this.storage = options.storage ?? localStorage;
    this.providerError = options.signInError ? providerErrorText(options.signInError) : undefined;
  }

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): Unsubscribe => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Asks the server who the session cookie signs in; else a remembered guest goes on, else the welcome screen. */
  async start(): Promise<void> {
    this.set({ phase: 'checking', checkFailed: false, notice: undefined });
    const res = await this.api.me();
    if (res.ok) return this.enterAccount(res.user);
    const guest = loadIdentity(this.storage);
    if (guest && !this.state.guestsRefused) return this.enterGuest(guest);
    // 401: nobody signed in. A 404 or a page that is not JSON: a server without accounts.
    const failed = res.error.status === 0 || res.error.status >= 500;
    const providerError = this.providerError;
    this.providerError = undefined;
    this.set({
      phase: 'welcome',
      view: 'signin',
      checkFailed: failed,
      notice: failed ? `Could not check whether you are signed in. ${authErrorText(res.error, 'check')}` : providerError,
    });
  }

  /** Asks once which providers to offer "Sign in with …" buttons for; none if the server says none or fails. */
  async loadProviders(): Promise<void> {
    if (this.providersAsked) return;
    this.providersAsked = true;
    const res = await this.api.providers();
    if (res.ok) this.set({ providers: res.providers });
  }

  stop(): void {
    if (this.unblockTimer !== undefined) this.clock.clearTimeout(this.unblockTimer);
    this.unblockTimer = undefined;
  }

  // ---- the welcome screen

  show(view: WelcomeView): void {
    if (this.state.phase !== 'welcome' || (view === 'guest' && this.state.guestsRefused)) return;
    this.set({ view, error: this.blocked() ? this.state.error : undefined });
  }

  async signIn(username: string, password: string): Promise<void> {
    if (!this.mayAsk()) return;
    this.set({ busy: true, error: undefined, notice: undefined, lastName: username });
    const res = await this.api.signIn(username, password);
    if (!res.ok) return this.failed(res.error, 'signin');
    if ('challenge' in res) return this.set({ busy: false, challenge: res.challenge });
    this.enterAccount(res.user);
  }

  /** The second step of a sign-in with two-factor sign-in: the app's code, or a recovery code. */
  async verifyTotp(code: string): Promise<void> {
    const challenge = this.state.challenge;
    if (challenge === undefined || !this.mayAsk()) return;
    this.set({ busy: true, error: undefined });
    const res = await this.api.verifyTotp(challenge, code.trim());
    if (res.ok) return this.enterAccount(res.user);
    if (res.error.code === 'unauthorized') {
      // The challenge expired, was used, or took five wrong codes: the password step again.
      return this.set({ busy: false, challenge: undefined, error: 'That took too long, or too many codes were wrong. Sign in again.' });
    }
    this.failed(res.error, 'totp');
  }

  /** Back from the code step to the password. */
  cancelTotp(): void {
    this.set({ challenge: undefined, error: undefined });
  }

  /** Makes the account, then signs in with it. */
  async register(registration: Registration): Promise<void> {
    if (!this.mayAsk()) return;
    this.set({ busy: true, error: undefined, notice: undefined, lastName: registration.username });
    const made = await this.api.register(registration);
    if (!made.ok) return this.failed(made.error, 'register');
    const res = await this.api.signIn(registration.username, registration.password);
    if (!res.ok) {
      this.set({ view: 'signin', notice: 'Your account was created. Sign in to start chatting.' });
      return this.failed(res.error, 'signin');
    }
    if ('challenge' in res) return this.set({ view: 'signin', busy: false, challenge: res.challenge });
    this.enterAccount(res.user);
  }

  /** Chats as a guest: a new name is a new guest, the name this page had before keeps its key. */
  continueAsGuest(name: string): void {
    if (this.state.phase !== 'welcome' || this.state.guestsRefused) return;
    const identity: Identity = this.formerGuest?.name === name ? this.formerGuest : { name };
    this.enterGuest(identity);
  }

  // ---- while chatting

  /** The server's `session` for a guest: its key, kept for the next visit. */
  guestSession(identity: Identity): void {
    if (this.state.who?.kind === 'guest') saveIdentity(identity, this.storage);
  }

  /** A guest stops chatting ("Change name", "Sign in"); the browser forgets the name. */
  leaveGuest(view: WelcomeView): void {
    const who = this.state.who;
    if (who?.kind !== 'guest') return;
    this.formerGuest = loadIdentity(this.storage) ?? who.identity;
    clearIdentity(this.storage);
    this.toWelcome({ view, lastName: who.identity.name });
  }

  /** Ends the account's session on the server (which clears the cookie), then the welcome screen. */
  async signOut(): Promise<void> {
    if (this.state.who?.kind !== 'account' || this.state.busy) return;
    this.signingOut = true;
    this.set({ busy: true, error: undefined });
    const res = await this.api.signOut();
    this.signingOut = false;
    const ended = this.endDuringSignOut;
    this.endDuringSignOut = undefined;
    if (res.ok) {
      this.toWelcome({ view: 'signin', lastName: '', notice: 'You signed out.' });
      return;
    }
    this.set({ busy: false, error: `Could not sign out. ${authErrorText(res.error, 'signout')}` });
    if (ended) this.chatEnded(ended);
  }

  /** Changes the account's password; resolves to why not, or undefined when done. */
  async changePassword(currentPassword: string, newPassword: string): Promise<string | undefined> {
    if (this.state.who?.kind !== 'account') return 'Sign in first.';
    const res = await this.api.changePassword(currentPassword, newPassword);
    return res.ok ? undefined : authErrorText(res.error, 'password');
  }

  /** The chat connection was refused, or its sign-in ended: back to the welcome screen, saying why. */
  chatEnded(end: ChatEnd): void {
    const who = this.state.who;
    if (this.state.phase !== 'chat' || !who) return;
    if (this.signingOut) {
      this.endDuringSignOut = end; // the sign-out that caused it says what happened
      return;
    }
    if (who.kind === 'account') {
      const notice =
        'signedOut' in end
          ? signedOutText(end.signedOut)
          : (AUTH_ERRORS as readonly string[]).includes(end.refusal)
            ? 'Your sign-in has ended. Sign in again.'
            : refusalText(end.refusal);
      this.toWelcome({ view: 'signin', lastName: who.account.name, notice });
      return;
    }
    const reason = 'signedOut' in end ? end.signedOut : end.refusal;
    clearIdentity(this.storage);
    if (reason === 'unauthorized') {
      this.formerGuest = who.identity;
      this.set({ guestsRefused: true });
      this.toWelcome({ view: 'signin', lastName: '', notice: 'This server requires an account. Sign in, or create one.' });
    } else {
      this.toWelcome({ view: 'guest', lastName: who.identity.name, error: refusalText(reason) });
    }
  }

  // ---- plumbing

  private enterAccount(account: Account): void {
    clearIdentity(this.storage); // the browser now chats as the account, not as a guest
    this.formerGuest = undefined;
    this.enter({ kind: 'account', account }, account.name);
  }

  private enterGuest(identity: Identity): void {
    saveIdentity(identity, this.storage);
    this.enter({ kind: 'guest', identity }, identity.name);
  }

  private enter(who: Who, name: string): void {
    this.set({
      phase: 'chat', who, chat: this.state.chat + 1, busy: false, error: undefined, notice: undefined,
      checkFailed: false, lastName: name, challenge: undefined,
    });
  }

  private toWelcome(to: { view: WelcomeView; lastName: string; notice?: string; error?: string }): void {
    this.set({
      phase: 'welcome', who: undefined, busy: false, view: to.view, lastName: to.lastName,
      notice: to.notice, error: to.error, checkFailed: false, challenge: undefined,
    });
  }

  /** Whether a sign-in or registration may be sent now; if rate limited, says again how long to wait. */
  private mayAsk(): boolean {
    return this.state.phase === 'welcome' && !this.state.busy && !this.blocked();
  }

  private blocked(): boolean {
    const until = this.state.blockedUntil;
    if (until === undefined) return false;
    const left = until - this.clock.now();
    if (left <= 0) return false;
    this.rateLimitText = authErrorText({ status: 429, code: 'rate_limited', message: '', retryAfterMs: left }, 'signin');
    this.set({ error: this.rateLimitText });
    return true;
  }

  private failed(error: AuthFailure, action: AuthAction): void {
    const text = authErrorText(error, action);
    if (error.code === 'rate_limited') {
      const wait = error.retryAfterMs ?? DEFAULT_RATE_LIMIT_MS;
      this.rateLimitText = text;
      if (this.unblockTimer !== undefined) this.clock.clearTimeout(this.unblockTimer);
      this.unblockTimer = this.clock.setTimeout(() => {
        this.unblockTimer = undefined;
        const stale = this.state.error === this.rateLimitText;
        this.set({ blockedUntil: undefined, ...(stale ? { error: undefined } : {}) });
      }, wait);
      this.set({ blockedUntil: this.clock.now() + wait });
    }
    this.set({ busy: false, error: text });
  }

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }
}
