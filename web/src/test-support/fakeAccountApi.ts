import type { AccountApi } from '../protocol/accountApi';
import type { AuthFailure, AuthResult } from '../protocol/http';

type Name = keyof AccountApi;
type Answer<N extends Name> = Awaited<ReturnType<AccountApi[N]>>;

/**
 * An AccountApi that answers each call with the next answer the test queued for that method
 * (`answer`), and records every call's arguments. A call with nothing queued fails the test.
 */
export class FakeAccountApi implements AccountApi {
  readonly calls: Array<{ name: Name; args: unknown[] }> = [];
  private readonly queued = new Map<Name, unknown[]>();

  answer<N extends Name>(name: N, ...answers: Array<Answer<N>>): this {
    this.queued.set(name, [...(this.queued.get(name) ?? []), ...answers]);
    return this;
  }

  /** The arguments of every call of `name` so far. */
  argsOf(name: Name): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }

  profile = () => this.call('profile', []);
  totpStatus = () => this.call('totpStatus', []);
  setupTotp = () => this.call('setupTotp', []);
  enableTotp = (code: string) => this.call('enableTotp', [code]);
  disableTotp = (password: string, code: string) => this.call('disableTotp', [password, code]);
  setEmail = (email: string) => this.call('setEmail', [email]);
  resendEmailCode = () => this.call('resendEmailCode', []);
  verifyEmail = (code: string) => this.call('verifyEmail', [code]);
  sessions = () => this.call('sessions', []);
  revokeSession = (id: string) => this.call('revokeSession', [id]);

  private call<N extends Name>(name: N, args: unknown[]): Promise<Answer<N>> {
    this.calls.push({ name, args });
    const next = this.queued.get(name)?.shift();
    if (next === undefined) return Promise.reject(new Error(`no answer queued for ${name}`));
    return Promise.resolve(next as Answer<N>);
  }
}

export function refused(error: AuthFailure): AuthResult<never> {
  return { ok: false, error };
}
