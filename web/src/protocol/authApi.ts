// The accounts API under /api/v1/auth (docs/api.md), as the web app uses it. The session itself
// is the HttpOnly `parley_session` cookie: the server sets and clears it, the app never sees it.
import { type AuthApiOptions, type AuthResult, BAD_RESPONSE, createRequester, isObject } from './http';

export type { AuthApiOptions, AuthFailure, AuthResult } from './http';

/** An account as the API describes it (only what the app uses). */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly displayName?: string;
}

/** An OpenID Connect provider the server offers: a "Sign in with {name}" button leading to `startUrl`. */
export interface SignInProvider {
  readonly id: string;
  readonly name: string;
  readonly startUrl: string;
}

/** The password step's answer: signed in, or a second factor asked for (two-factor sign-in). */
export type SignInStep = { readonly user: Account } | { readonly challenge: string };

export interface Registration {
  readonly username: string;
  readonly password: string;
  readonly displayName?: string;
}

/** Every call resolves, never rejects: failures come back as `ok: false`. */
export interface AuthApi {
  /** Who the session cookie signs in; 401 when nobody. */
  me(): Promise<AuthResult<{ user: Account }>>;
  /** Sets the session cookie, or answers with a challenge when the account has two-factor sign-in. */
  signIn(username: string, password: string): Promise<AuthResult<SignInStep>>;
  /** Completes a sign-in that needed a second factor, with an app's code or a recovery code; sets the cookie. */
  verifyTotp(challenge: string, code: string): Promise<AuthResult<{ user: Account }>>;
  /** The providers to offer buttons for; none when the server has none (or is older). */
  providers(): Promise<AuthResult<{ providers: readonly SignInProvider[] }>>;
  /** Makes the account; does not sign in. */
  register(registration: Registration): Promise<AuthResult<{ user: Account }>>;
  /** Ends the session and clears the cookie. */
  signOut(): Promise<AuthResult<object>>;
  /** Signs out every other session of the account. */
  changePassword(currentPassword: string, newPassword: string): Promise<AuthResult<object>>;
}

/** The AuthApi over `fetch`. Same-origin requests carry the cookie and, for POST, an Origin. */
export function createAuthApi(options: AuthApiOptions = {}): AuthApi {
  const call = createRequester(options);

  async function withUser(pending: Promise<AuthResult<{ json: unknown }>>): Promise<AuthResult<{ user: Account }>> {
    const r = await pending;
    if (!r.ok) return r;
    const user = accountOf(r.json);
    return user ? { ok: true, user } : { ok: false, error: BAD_RESPONSE };
  }

  async function done(pending: Promise<AuthResult<{ json: unknown }>>): Promise<AuthResult<object>> {
    const r = await pending;
    return r.ok ? { ok: true } : r;
  }

  async function signInStep(pending: Promise<AuthResult<{ json: unknown }>>): Promise<AuthResult<SignInStep>> {
    const r = await pending;
    if (r.ok && isObject(r.json) && r.json.totpRequired === true && typeof r.json.challenge === 'string') {
      return { ok: true, challenge: r.json.challenge };
    }
    return withUser(Promise.resolve(r));
  }

  async function providerList(pending: Promise<AuthResult<{ json: unknown }>>): Promise<AuthResult<{ providers: readonly SignInProvider[] }>> {
    const r = await pending;
    if (!r.ok) return r;
    const list = isObject(r.json) && Array.isArray(r.json.providers) ? r.json.providers : [];
    const providers = list.filter(isObject).flatMap((p) =>
      typeof p.id === 'string' && typeof p.name === 'string' && typeof p.startUrl === 'string' && p.startUrl.startsWith('/')
        ? [{ id: p.id, name: p.name, startUrl: p.startUrl }]
        : [],
    );
    return { ok: true, providers };
  }

  return {
    me: () => withUser(call('GET', '/me')),
    signIn: (username, password) => signInStep(call('POST', '/signin', { username, password })),
    verifyTotp: (challenge, code) => withUser(call('POST', '/totp/verify', { challenge, code })),
    providers: () => providerList(call('GET', '/oidc/providers')),
    register: ({ username, password, displayName }) =>
      withUser(call('POST', '/register', { username, password, ...(displayName ? { displayName } : {}) })),
    signOut: () => done(call('POST', '/signout')),
    changePassword: (currentPassword, newPassword) => done(call('POST', '/password', { currentPassword, newPassword })),
  };
}

function accountOf(json: unknown): Account | undefined {
  if (!isObject(json) || !isObject(json.user)) return undefined;
  const { id, name, displayName } = json.user;
  if (typeof id !== 'string' || typeof name !== 'string') return undefined;
  return typeof displayName === 'string' && displayName !== '' ? { id, name, displayName } : { id, name };
}
