// The signed-in account's own settings under /api/v1/auth (docs/api.md): two-factor sign-in, the
// email address and its verification, and the sessions signed in to the account. Sign-in itself
// is authApi.ts; both share the plumbing of http.ts.
import { type AuthApiOptions, type AuthResult, BAD_RESPONSE, type Requester, createRequester, isObject } from './http';

/** What the settings show of the account: its address and whether it is verified. */
export interface Profile {
  readonly name: string;
  /** Absent when the account has none. */
  readonly email?: string;
  readonly emailVerified: boolean;
}

export interface TotpStatus {
  readonly enabled: boolean;
  readonly recoveryCodesLeft: number;
}

/** A secret being set up: `uri` for the QR code, `secret` to type into the app by hand. */
export interface TotpSetup {
  readonly secret: string;
  readonly uri: string;
}

/** A browser or device signed in to the account (one web session). */
export interface DeviceSession {
  readonly id: string;
  /** The session this page signs in with. */
  readonly current: boolean;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly userAgent?: string;
}

/** Every call resolves, never rejects: failures come back as `ok: false`. */
export interface AccountApi {
  profile(): Promise<AuthResult<{ profile: Profile }>>;
  totpStatus(): Promise<AuthResult<{ status: TotpStatus }>>;
  /** A new secret; 403 for an account without a password, 409 while two-factor sign-in is on. */
  setupTotp(): Promise<AuthResult<{ setup: TotpSetup }>>;
  /** Turns two-factor sign-in on with a code of the secret set up: the ten recovery codes, shown this once. */
  enableTotp(code: string): Promise<AuthResult<{ recoveryCodes: readonly string[] }>>;
  disableTotp(password: string, code: string): Promise<AuthResult<object>>;
  /** Sets or changes the address; `codeSent` is false when it is the verified address already. */
  setEmail(email: string): Promise<AuthResult<{ profile: Profile; codeSent: boolean }>>;
  /** Mails a new code to the unverified address. */
  resendEmailCode(): Promise<AuthResult<object>>;
  verifyEmail(code: string): Promise<AuthResult<{ profile: Profile }>>;
  /** Newest first. */
  sessions(): Promise<AuthResult<{ sessions: readonly DeviceSession[] }>>;
  revokeSession(id: string): Promise<AuthResult<object>>;
}

type Pending = Promise<AuthResult<{ json: unknown }>>;

/** The AccountApi over `fetch`, signed in by the session cookie. */
export function createAccountApi(options: AuthApiOptions = {}): AccountApi {
  const call: Requester = createRequester(options);

  /** Reads a 2xx body with `read`; a body it cannot read is a failure, not a crash. */
  async function parse<T extends object>(pending: Pending, read: (json: Record<string, unknown>) => T | undefined): Promise<AuthResult<T>> {
    const r = await pending;
    if (!r.ok) return r;
    const value = isObject(r.json) ? read(r.json) : undefined;
    return value ? { ok: true, ...value } : { ok: false, error: BAD_RESPONSE };
  }

  async function done(pending: Pending): Promise<AuthResult<object>> {
    const r = await pending;
    return r.ok ? { ok: true } : r;
  }

  const withProfile = (json: Record<string, unknown>) => {
    const profile = profileOf(json.user);
    return profile && { profile };
  };

  return {
    profile: () => parse(call('GET', '/me'), withProfile),
    totpStatus: () =>
      parse(call('GET', '/totp'), (j) =>
        typeof j.enabled === 'boolean'
          ? { status: { enabled: j.enabled, recoveryCodesLeft: typeof j.recoveryCodesLeft === 'number' ? j.recoveryCodesLeft : 0 } }
          : undefined,
      ),
    setupTotp: () =>
      parse(call('POST', '/totp/setup'), (j) =>
        typeof j.secret === 'string' && typeof j.uri === 'string' && j.uri.startsWith('otpauth://')
          ? { setup: { secret: j.secret, uri: j.uri } }
          : undefined,
      ),
    enableTotp: (code) =>
      parse(call('POST', '/totp/enable', { code }), (j) =>
        Array.isArray(j.recoveryCodes) && j.recoveryCodes.every((c) => typeof c === 'string')
          ? { recoveryCodes: j.recoveryCodes as string[] }
          : undefined,
      ),
    disableTotp: (password, code) => done(call('POST', '/totp/disable', { password, code })),
    setEmail: (email) =>
      parse(call('POST', '/email', { email }), (j) => {
        const profile = profileOf(j.user);
        return profile && { profile, codeSent: j.codeSent === true };
      }),
    resendEmailCode: () => done(call('POST', '/email/code')),
    verifyEmail: (code) => parse(call('POST', '/email/verify', { code }), withProfile),
    sessions: () =>
      parse(call('GET', '/sessions'), (j) =>
        Array.isArray(j.sessions) ? { sessions: j.sessions.flatMap((s) => sessionOf(s) ?? []) } : undefined,
      ),
    revokeSession: (id) => done(call('DELETE', `/sessions/${encodeURIComponent(id)}`)),
  };
}

function profileOf(user: unknown): Profile | undefined {
  if (!isObject(user) || typeof user.name !== 'string') return undefined;
  const emailVerified = user.emailVerified === true;
  return typeof user.email === 'string' && user.email !== ''
    ? { name: user.name, email: user.email, emailVerified }
    : { name: user.name, emailVerified };
}

function sessionOf(s: unknown): DeviceSession | undefined {
  if (!isObject(s) || typeof s.id !== 'string' || typeof s.createdAt !== 'number') return undefined;
  const lastSeenAt = typeof s.lastSeenAt === 'number' ? s.lastSeenAt : s.createdAt;
  const base = { id: s.id, current: s.current === true, createdAt: s.createdAt, lastSeenAt };
  return typeof s.userAgent === 'string' && s.userAgent !== '' ? { ...base, userAgent: s.userAgent } : base;
}
