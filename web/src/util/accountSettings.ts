import type { AuthFailure } from '../protocol/http';
import { authErrorText, sentence, waitText } from './accounts';

// The words of the account settings (two-factor sign-in, email address, signed-in devices): what
// the server's refusals mean there, and how a session is described.

export type SettingsAction = 'totp-setup' | 'totp-enable' | 'totp-disable' | 'email' | 'email-code' | 'email-verify' | 'sessions';

/** What a failed settings request means to the person who made it. */
export function settingsErrorText(error: AuthFailure, action: SettingsAction): string {
  const mailing = action === 'email' || action === 'email-code';
  switch (error.code) {
    case 'rate_limited':
      if (mailing) return `A code was sent a moment ago. You can ask for another in ${waitText(error.retryAfterMs ?? 60_000)}.`;
      break;
    case 'unauthorized':
      return 'You are no longer signed in. Sign in again.';
    case 'invalid_credentials':
      return 'Wrong code, or a code used already. Try the next one the app shows.';
    case 'forbidden':
      // A wrong password; or an account without one (made through a sign-in provider), whose
      // reason the server words best.
      if (action === 'totp-disable' && /password is wrong/i.test(error.message)) return 'The password is wrong.';
      return sentence(error.message);
    case 'conflict':
      if (action === 'totp-setup') return 'Two-factor sign-in is on already.';
      if (action === 'email' || action === 'email-verify') return 'Another account has verified that address. Use another one.';
      break;
    case 'invalid_code':
      return sentence(error.message); // "the code is wrong; 3 attempts left"
    case 'code_expired':
      return 'That code expired or was used up. Ask for a new one.';
    case 'mail_unavailable':
      return 'The code could not be mailed just now. Ask for a new one later.';
    case 'not_found':
      if (action === 'sessions') return 'That device was signed out already.';
      break;
  }
  return authErrorText(error, 'check');
}

/** A one-time code as typed: digits only, spaces and dashes dropped. */
export function normalizeCode(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** The 6 digits an authenticator app (or the mail) shows. */
export function validateSixDigits(raw: string, source: 'app' | 'mail'): string | undefined {
  const code = normalizeCode(raw);
  if (code === '') return source === 'app' ? 'Enter the code from your authenticator app.' : 'Enter the code from the mail.';
  return /^\d{6}$/.test(code) ? undefined : 'The code is 6 digits.';
}

/** A plausible address; the server checks it properly. */
export function validateEmail(raw: string): string | undefined {
  const email = raw.trim();
  if (email === '') return 'Enter an email address.';
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) return 'That is not an email address.';
  return undefined;
}

/** "Firefox on Linux", "Chrome on Android", … from a User-Agent; "Unknown browser" when it says nothing known. */
export function deviceName(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = firstMatch(ua, [
    [/Edg\//, 'Edge'],
    [/OPR\//, 'Opera'],
    [/Firefox\//, 'Firefox'],
    [/Chrom(e|ium)\//, 'Chrome'],
    [/Safari\//, 'Safari'],
    [/curl\//, 'curl'],
  ]);
  const system = firstMatch(ua, [
    [/Android/, 'Android'],
    [/iPhone|iPad|iPod/, 'iOS'],
    [/Windows/, 'Windows'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ]);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'Unknown browser';
}

/** A moment as the reader's locale writes a date and time. */
export function dateTimeText(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

function firstMatch(text: string, rules: Array<[RegExp, string]>): string | undefined {
  return rules.find(([re]) => re.test(text))?.[1];
}
