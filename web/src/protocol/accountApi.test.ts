import { describe, expect, it } from 'vitest';
import { createAccountApi } from './accountApi';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that records each request and answers with the next of `answers`. */
function fakeFetch(...answers: Response[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch = (async (url: RequestInfo | URL, init: RequestInit = {}) => {
    sent.push({ url: String(url), init });
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

const noContent = (): Response => new Response(null, { status: 204 });
const body = (s: Sent): unknown => JSON.parse(String(s.init.body));
const USER = { id: '1', name: 'ada', email: 'ada@example.org', emailVerified: false, role: 'user', createdAt: 1 };
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('the account settings API client', () => {
  it('reads the address and whether it is verified from /me', async () => {
    const { fetch, sent } = fakeFetch(json(200, { user: USER, via: 'session' }), json(200, { user: { id: '2', name: 'bob', emailVerified: false } }));
    const api = createAccountApi({ fetch });
    expect(await api.profile()).toEqual({ ok: true, profile: { name: 'ada', email: 'ada@example.org', emailVerified: false } });
    expect(sent[0]!.url).toBe('/api/v1/auth/me');
    expect(sent[0]!.init).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    expect(await api.profile()).toEqual({ ok: true, profile: { name: 'bob', emailVerified: false } });
  });

  it('asks the two-factor status, sets up, enables and disables', async () => {
    const uri = `otpauth://totp/Parley:ada?secret=${SECRET}&issuer=Parley`;
    const codes = Array.from({ length: 10 }, (_, i) => `k7m2p-x9qr${i}`);
    const { fetch, sent } = fakeFetch(
      json(200, { enabled: false, recoveryCodesLeft: 0 }),
      json(200, { secret: SECRET, uri }),
      json(200, { recoveryCodes: codes }),
      noContent(),
    );
    const api = createAccountApi({ fetch });
    expect(await api.totpStatus()).toEqual({ ok: true, status: { enabled: false, recoveryCodesLeft: 0 } });
    expect(await api.setupTotp()).toEqual({ ok: true, setup: { secret: SECRET, uri } });
    expect(await api.enableTotp('123456')).toEqual({ ok: true, recoveryCodes: codes });
    expect(await api.disableTotp('correct horse', '654321')).toEqual({ ok: true });
    expect(sent.map((s) => `${s.init.method} ${s.url}`)).toEqual([
      'GET /api/v1/auth/totp',
      'POST /api/v1/auth/totp/setup',
      'POST /api/v1/auth/totp/enable',
      'POST /api/v1/auth/totp/disable',
    ]);
    expect(sent[1]!.init.body).toBeUndefined();
    expect(body(sent[2]!)).toEqual({ code: '123456' });
    expect(body(sent[3]!)).toEqual({ password: 'correct horse', code: '654321' });
    expect(sent[3]!.init.headers).toMatchObject({ 'Content-Type': 'application/json' });
  });

  it("passes on the server's refusal of a setup for an account without a password", async () => {
    const message = 'this account signs in through an identity provider and has no password';
    const { fetch } = fakeFetch(json(403, { error: { code: 'forbidden', message } }));
    expect(await createAccountApi({ fetch }).setupTotp()).toEqual({ ok: false, error: { status: 403, code: 'forbidden', message } });
  });

  it('refuses a setup whose URI is not an otpauth one', async () => {
    const { fetch } = fakeFetch(json(200, { secret: SECRET, uri: 'javascript:alert(1)' }));
    expect(await createAccountApi({ fetch }).setupTotp()).toMatchObject({ ok: false, error: { code: 'bad_response' } });
  });

  it('sets the address, resends and verifies the code', async () => {
    const verified = { ...USER, emailVerified: true };
    const { fetch, sent } = fakeFetch(json(200, { user: USER, codeSent: true }), noContent(), json(200, { user: verified }));
    const api = createAccountApi({ fetch });
    expect(await api.setEmail('ada@example.org')).toEqual({
      ok: true, profile: { name: 'ada', email: 'ada@example.org', emailVerified: false }, codeSent: true,
    });
    expect(await api.resendEmailCode()).toEqual({ ok: true });
    expect(await api.verifyEmail('123456')).toEqual({ ok: true, profile: { name: 'ada', email: 'ada@example.org', emailVerified: true } });
    expect(sent.map((s) => `${s.init.method} ${s.url}`)).toEqual([
      'POST /api/v1/auth/email',
      'POST /api/v1/auth/email/code',
      'POST /api/v1/auth/email/verify',
    ]);
    expect(body(sent[0]!)).toEqual({ email: 'ada@example.org' });
    expect(body(sent[2]!)).toEqual({ code: '123456' });
  });

  it('takes the wait of a rate-limited resend from Retry-After', async () => {
    const { fetch } = fakeFetch(json(429, { error: { code: 'rate_limited', message: 'a code was sent too recently' } }, { 'Retry-After': '42' }));
    expect(await createAccountApi({ fetch }).resendEmailCode()).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 42_000 } });
  });

  it('lists the sessions, dropping entries it cannot use, and revokes one by DELETE', async () => {
    const id = 'a'.repeat(64);
    const { fetch, sent } = fakeFetch(
      json(200, { sessions: [
        { id: 'c'.repeat(64), current: true, createdAt: 10, lastSeenAt: 20, expiresAt: 99, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0', refreshTokens: [] },
        { id, current: false, createdAt: 5, lastSeenAt: 6, expiresAt: 99, userAgent: '', refreshTokens: [] },
        { id: 7 },
        'junk',
      ] }),
      noContent(),
    );
    const api = createAccountApi({ fetch });
    expect(await api.sessions()).toEqual({ ok: true, sessions: [
      { id: 'c'.repeat(64), current: true, createdAt: 10, lastSeenAt: 20, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0' },
      { id, current: false, createdAt: 5, lastSeenAt: 6 },
    ] });
    expect(await api.revokeSession(id)).toEqual({ ok: true });
    expect(sent[1]!.url).toBe(`/api/v1/auth/sessions/${id}`);
    expect(sent[1]!.init).toMatchObject({ method: 'DELETE', credentials: 'same-origin' });
  });

  it('keeps an id from reaching another path', async () => {
    const { fetch, sent } = fakeFetch(json(400, { error: { code: 'invalid_argument', message: 'not a session id' } }));
    await createAccountApi({ fetch }).revokeSession('../signout');
    expect(sent[0]!.url).toBe('/api/v1/auth/sessions/..%2Fsignout');
  });
});
