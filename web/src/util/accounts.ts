import type { AuthFailure } from '../protocol/authApi';
import { validateName } from './names';

// The server's account rules (docs/api.md), checked before asking so mistakes show at once. The
// server checks them again and has the last word.
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_DISPLAY_NAME_LENGTH = 64;

// Control characters (line breaks, NUL, …) and halves of surrogate pairs.
const CONTROL_RE = /[\p{Cc}]|\p{Cs}/u;

/** A new password: 8–256 characters, not the username in any case. */
export function validatePassword(password: string, username: string): string | undefined {
  const length = [...password].length; // the server counts characters, not UTF-16 units
  if (length === 0) return 'Enter a password.';
  if (length < MIN_PASSWORD_LENGTH) return `At least ${MIN_PASSWORD_LENGTH} characters.`;
  if (length > MAX_PASSWORD_LENGTH) return `At most ${MAX_PASSWORD_LENGTH} characters.`;
  if (username !== '' && password.normalize('NFKC').trim().toLowerCase() === username.trim().toLowerCase()) {
    return 'The password must not be your username.';
  }
  return undefined;
}

export function validateConfirmation(password: string, confirmation: string): string | undefined {
  if (confirmation === '') return 'Type the password again.';
  return confirmation === password ? undefined : 'The two passwords differ.';
}

/** Optional: up to 64 characters, no control characters. */
export function validateDisplayName(displayName: string): string | undefined {
  if (displayName.length > MAX_DISPLAY_NAME_LENGTH) return `At most ${MAX_DISPLAY_NAME_LENGTH} characters.`;
  if (CONTROL_RE.test(displayName)) return 'No control characters.';
  return undefined;
}

export interface RegistrationFields {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly confirmation: string;
}

export type RegistrationProblems = Partial<Record<keyof RegistrationFields, string>>;

/** What is wrong with each field, in the order of the form; empty when all is well. */
export function checkRegistration(f: RegistrationFields): RegistrationProblems {
  const problems: Record<string, string | undefined> = {
    username: validateName(f.username),
    displayName: validateDisplayName(f.displayName.trim()),
    password: validatePassword(f.password, f.username),
    confirmation: validateConfirmation(f.password, f.confirmation),
  };
  return Object.fromEntries(Object.entries(problems).filter(([, v]) => v !== undefined)) as RegistrationProblems;
}

/** "5 seconds", "1 minute", "3 minutes": a wait, rounded up. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

export type AuthAction = 'check' | 'signin' | 'register' | 'signout' | 'password' | 'totp';

/** What a failed accounts request means to the person who made it. */
export function authErrorText(error: AuthFailure, action: AuthAction): string {
  switch (error.code) {
    case 'network':
      return 'Cannot reach the server. Check your connection and try again.';
    case 'rate_limited':
      return `Too many attempts. Try again in ${waitText(error.retryAfterMs ?? 60_000)}.`;
    case 'invalid_credentials':
      return action === 'totp' ? 'Wrong code, or a code used already. Try the next one the app shows.' : 'Wrong username or password.';
    case 'conflict':
      return 'That username is taken. Choose another one.';
    case 'unauthorized':
      return action === 'password' ? 'You are no longer signed in. Sign in again.' : 'Sign in first.';
    case 'overloaded':
    case 'unavailable':
      return 'The server is busy. Try again in a moment.';
    case 'forbidden':
      if (action === 'password') return 'The current password is wrong.';
      break;
  }
  if (error.status >= 500 || error.status === 0) return 'The server failed. Try again in a moment.';
  return sentence(error.message);
}

/** The server's lower-case message as a sentence: "a password is 8-256 characters" → "A password is 8-256 characters." */
export function sentence(message: string): string {
  const m = message.trim();
  if (m === '') return 'The server refused the request.';
  const capital = m[0]!.toUpperCase() + m.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Why a sign-in through an OpenID Connect provider failed, from the `signin_error` the server sent back. */
export function providerErrorText(code: string): string {
  switch (code) {
    case 'access_denied':
      return 'The sign-in was cancelled or refused at the provider.';
    case 'expired':
      return 'The sign-in took too long, or was started in another browser. Try again.';
    case 'invalid_state':
    case 'invalid_token':
      return 'The provider’s answer could not be checked, so you were not signed in. Try again.';
    case 'provider_unavailable':
      return 'The sign-in provider cannot be reached. Try again later, or sign in with a password.';
    case 'unknown_provider':
      return 'That sign-in provider is not offered here.';
    case 'account_disabled':
      return 'Your account was deactivated.';
    default:
      return 'The sign-in did not complete. Try again in a moment.';
  }
}

/** Why the chat ended, from the `signed_out` event's reason. */
export function signedOutText(reason: string): string {
  switch (reason) {
    case 'signed out':
      return 'You were signed out: this sign-in was ended in another tab or on another device, or the password was changed. Sign in again.';
    case 'account deactivated':
      return 'Your account was deactivated.';
    case 'token revoked':
      return 'The token this connection signed in with was revoked. Sign in again.';
    default:
      return `You were signed out (${reason}). Sign in again.`;
  }
}
