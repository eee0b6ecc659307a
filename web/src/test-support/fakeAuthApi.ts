import type { Account, AuthApi, AuthFailure, AuthResult, Registration, SignInProvider, SignInStep } from '../protocol/authApi';

type Call =
  | { readonly name: 'me'; readonly args: [] }
  | { readonly name: 'signIn'; readonly args: [string, string] }
  | { readonly name: 'verifyTotp'; readonly args: [string, string] }
  | { readonly name: 'providers'; readonly args: [] }
  | { readonly name: 'register'; readonly args: [Registration] }
  | { readonly name: 'signOut'; readonly args: [] }
  | { readonly name: 'changePassword'; readonly args: [string, string] };

export interface PendingCall {
  readonly name: Call['name'];
  readonly args: unknown[];
  /** Answers ok, with these fields. */
  readonly ok: (fields?: { user?: Account; challenge?: string; providers?: readonly SignInProvider[] }) => void;
  readonly fail: (error: AuthFailure) => void;
}

/** An AuthApi whose calls wait until the test answers them. */
export class FakeAuthApi implements AuthApi {
  readonly calls: PendingCall[] = [];

  me(): Promise<AuthResult<{ user: Account }>> {
    return this.call('me', []) as Promise<AuthResult<{ user: Account }>>;
  }

  signIn(username: string, password: string): Promise<AuthResult<SignInStep>> {
    return this.call('signIn', [username, password]) as Promise<AuthResult<SignInStep>>;
  }

  verifyTotp(challenge: string, code: string): Promise<AuthResult<{ user: Account }>> {
    return this.call('verifyTotp', [challenge, code]) as Promise<AuthResult<{ user: Account }>>;
  }

  providers(): Promise<AuthResult<{ providers: readonly SignInProvider[] }>> {
    return this.call('providers', []) as Promise<AuthResult<{ providers: readonly SignInProvider[] }>>;
  }

  register(registration: Registration): Promise<AuthResult<{ user: Account }>> {
    return this.call('register', [registration]) as Promise<AuthResult<{ user: Account }>>;
  }

  signOut(): Promise<AuthResult<object>> {
    return this.call('signOut', []);
  }

  changePassword(currentPassword: string, newPassword: string): Promise<AuthResult<object>> {
    return this.call('changePassword', [currentPassword, newPassword]);
  }

  /** Takes the oldest unanswered call, which must be `name`. */
  take(name: Call['name']): PendingCall {
    const i = this.calls.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`no pending ${name} call; pending: ${this.calls.map((c) => c.name).join(', ') || 'none'}`);
    return this.calls.splice(i, 1)[0]!;
  }

  private call(name: Call['name'], args: unknown[]): Promise<AuthResult<object>> {
    return new Promise((resolve) => {
      this.calls.push({
        name,
        args,
        ok: (fields = {}) => resolve({ ok: true, ...fields }),
        fail: (error) => resolve({ ok: false, error }),
      });
    });
  }
}

/** A failure as the API would send it. */
export function failure(status: number, code: string, message = code, retryAfterMs?: number): AuthFailure {
  return retryAfterMs === undefined ? { status, code, message } : { status, code, message, retryAfterMs };
}
