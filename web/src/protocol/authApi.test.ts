import { describe, expect, it } from 'vitest';
import { createAuthApi } from './authApi';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that records each request and answers with the next of `answers`. */
function fakeFetch(...answers: Array<Response | Error>): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch = (async (url: RequestInfo | URL, init: RequestInit = {}) => {
    sent.push({ url: String(url), init });
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

const USER = { id: '1', name: 'ada', displayName: 'Ada', emailVerified: false, role: 'user', createdAt: 1 };

describe('the accounts API client', () => {
  it('signs in with a JSON body and reads the account', async () => {
    const { fetch, sent } = fakeFetch(json(200, { user: USER, expiresAt: 99 }));
    const res = await createAuthApi({ fetch }).signIn('ada', 'correct horse');
    expect(res).toEqual({ ok: true, user: { id: '1', name: 'ada', displayName: 'Ada' } });
    expect(sent[0]!.url).toBe('/api/v1/auth/signin');
    expect(sent[0]!.init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    expect(sent[0]!.init.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({ username: 'ada', password: 'correct horse' });
  });

  it("passes the API's error on", async () => {
    const { fetch } = fakeFetch(json(401, { error: { code: 'invalid_credentials', message: 'wrong name or password' } }));
    expect(await createAuthApi({ fetch }).signIn('ada', 'x')).toEqual({
      ok: false, error: { status: 401, code: 'invalid_credentials', message: 'wrong name or password' },
    });
  });

  it('takes the wait of a 429 from the body, else from Retry-After', async () => {
    const { fetch } = fakeFetch(
      json(429, { error: { code: 'rate_limited', message: 'slow down', retryAfterMs: 1500 } }, { 'Retry-After': '2' }),
      json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '7' }),
    );
    const api = createAuthApi({ fetch });
    expect(await api.signIn('ada', 'x')).toMatchObject({ ok: false, error: { retryAfterMs: 1500 } });
    expect(await api.register({ username: 'ada', password: 'correct horse' })).toMatchObject({ ok: false, error: { retryAfterMs: 7000 } });
  });

  it('says network when no answer comes', async () => {
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'));
    expect(await createAuthApi({ fetch }).me()).toMatchObject({ ok: false, error: { status: 0, code: 'network' } });
  });

  it('copes with a page that is not the API', async () => {
    const { fetch } = fakeFetch(new Response('<!doctype html>', { status: 404 }), new Response('<!doctype html>', { status: 200 }));
    const api = createAuthApi({ fetch });
    expect(await api.me()).toMatchObject({ ok: false, error: { status: 404, code: 'http_404' } });
    expect(await api.me()).toMatchObject({ ok: false, error: { code: 'bad_response' } });
  });

  it('signs out with no body, and leaves out an empty display name', async () => {
    const { fetch, sent } = fakeFetch(new Response(null, { status: 204 }), json(201, { user: USER }));
    const api = createAuthApi({ fetch });
    expect(await api.signOut()).toEqual({ ok: true });
    expect(sent[0]!.init.body).toBeUndefined();
    await api.register({ username: 'ada', password: 'correct horse', displayName: '' });
    expect(JSON.parse(String(sent[1]!.init.body))).toEqual({ username: 'ada', password: 'correct horse' });
  });

  it('passes a two-factor challenge on instead of an account', async () => {
    const { fetch } = fakeFetch(json(200, { totpRequired: true, challenge: 'c'.repeat(43), expiresAt: 5 }));
    expect(await createAuthApi({ fetch }).signIn('ada', 'correct horse')).toEqual({ ok: true, challenge: 'c'.repeat(43) });
  });

  it('completes a sign-in with the challenge and a code', async () => {
    const { fetch, sent } = fakeFetch(json(200, { user: USER, expiresAt: 99 }), json(401, { error: { code: 'invalid_credentials', message: 'the code is wrong' } }));
    const api = createAuthApi({ fetch });
    expect(await api.verifyTotp('chal', '123456')).toEqual({ ok: true, user: { id: '1', name: 'ada', displayName: 'Ada' } });
    expect(sent[0]!.url).toBe('/api/v1/auth/totp/verify');
    expect(sent[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({ challenge: 'chal', code: '123456' });
    expect(await api.verifyTotp('chal', '000000')).toMatchObject({ ok: false, error: { status: 401, code: 'invalid_credentials' } });
  });

  it('lists the sign-in providers, dropping entries it cannot use', async () => {
    const { fetch, sent } = fakeFetch(json(200, { providers: [
      { id: 'corp', name: 'Corp SSO', startUrl: '/api/v1/auth/oidc/corp/start' },
      { id: 'evil', name: 'Elsewhere', startUrl: 'https://evil.example/start' },
      { id: 7, name: 'bad' },
      'junk',
    ] }), json(404, { error: { code: 'not_found', message: 'no such API route' } }));
    const api = createAuthApi({ fetch });
    expect(await api.providers()).toEqual({ ok: true, providers: [{ id: 'corp', name: 'Corp SSO', startUrl: '/api/v1/auth/oidc/corp/start' }] });
    expect(sent[0]!.url).toBe('/api/v1/auth/oidc/providers');
    expect(await api.providers()).toMatchObject({ ok: false, error: { status: 404 } });
  });
});
