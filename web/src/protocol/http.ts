// The JSON-over-fetch plumbing the accounts API clients share. Requests are same-origin and carry
// the HttpOnly session cookie; the browser adds an `Origin` to every POST and DELETE, which the
// server's cross-site check requires of cookie-signed requests (docs/api.md, "CSRF").

export interface AuthFailure {
  /** The HTTP status; 0 when no answer came (network down, timeout). */
  readonly status: number;
  /** The API's error code (`invalid_credentials`, `conflict`, `rate_limited`, …), or `network`. */
  readonly code: string;
  readonly message: string;
  /** With `rate_limited`: how long to wait, from the body or else the Retry-After header. */
  readonly retryAfterMs?: number;
}

export type AuthResult<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: AuthFailure };

export interface AuthApiOptions {
  /** Where the API lives; the page's own server by default. */
  readonly base?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export type Method = 'GET' | 'POST' | 'DELETE';

/** One request: the parsed JSON body of a 2xx answer (undefined for 204), else the API's error. */
export type Requester = (method: Method, path: string, body?: object) => Promise<AuthResult<{ json: unknown }>>;

const DEFAULT_BASE = '/api/v1/auth';
const DEFAULT_TIMEOUT_MS = 15_000;

export function createRequester(options: AuthApiOptions = {}): Requester {
  const base = options.base ?? DEFAULT_BASE;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return async (method, path, body) => {
    let res: Response;
    try {
      res = await doFetch(base + path, {
        method,
        credentials: 'same-origin',
        headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return { ok: false, error: { status: 0, code: 'network', message: 'the server cannot be reached' } };
    }
    const json = await readJson(res);
    if (res.ok) return { ok: true, json };
    return { ok: false, error: failureOf(res, json) };
  };
}

/** The failure for a 2xx answer whose body is not what the route promises. */
export const BAD_RESPONSE: AuthFailure = { status: 200, code: 'bad_response', message: 'the server sent an answer this app does not understand' };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readJson(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  try {
    return await res.json();
  } catch {
    return undefined; // not JSON: a page from something that is not the accounts API
  }
}

function failureOf(res: Response, json: unknown): AuthFailure {
  const error = isObject(json) && isObject(json.error) ? json.error : {};
  const code = typeof error.code === 'string' ? error.code : `http_${res.status}`;
  const message = typeof error.message === 'string' ? error.message : `HTTP ${res.status}`;
  const retryAfterMs = typeof error.retryAfterMs === 'number' ? error.retryAfterMs : retryAfterHeader(res);
  return retryAfterMs !== undefined ? { status: res.status, code, message, retryAfterMs } : { status: res.status, code, message };
}

/** Retry-After in seconds (the API never sends the date form). */
function retryAfterHeader(res: Response): number | undefined {
  const raw = res.headers.get('retry-after');
  if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim()) * 1000;
}
