import { describe, expect, it } from 'vitest';
import { authErrorText, checkRegistration, signedOutText, validatePassword, waitText } from './accounts';

describe('account rules', () => {
  it('takes passwords of 8 to 256 characters that are not the username', () => {
    expect(validatePassword('correct horse', 'ada')).toBeUndefined();
    expect(validatePassword('', 'ada')).toMatch(/Enter/);
    expect(validatePassword('short', 'ada')).toMatch(/At least 8/);
    expect(validatePassword('x'.repeat(257), 'ada')).toMatch(/At most 256/);
    expect(validatePassword('😀'.repeat(8), 'ada')).toBeUndefined(); // characters, not UTF-16 units
    expect(validatePassword('Ada Lovelace', 'ada lovelace')).toMatch(/username/);
  });

  it('checks every field of a registration, saying what is wrong with each', () => {
    expect(checkRegistration({ username: 'ada', displayName: '', password: 'correct horse', confirmation: 'correct horse' })).toEqual({});
    expect(checkRegistration({ username: ' ada', displayName: 'x'.repeat(65), password: 'short', confirmation: 'shirt' })).toEqual({
      username: 'No spaces at the start or end.',
      displayName: 'At most 64 characters.',
      password: 'At least 8 characters.',
      confirmation: 'The two passwords differ.',
    });
  });

  it('says waits in seconds, then minutes', () => {
    expect(waitText(1)).toBe('1 second');
    expect(waitText(42_100)).toBe('43 seconds');
    expect(waitText(240_000)).toBe('4 minutes');
  });

  it('words the API errors for people', () => {
    expect(authErrorText({ status: 401, code: 'invalid_credentials', message: 'wrong name or password' }, 'signin')).toBe('Wrong username or password.');
    expect(authErrorText({ status: 403, code: 'forbidden', message: 'the current password is wrong' }, 'password')).toBe('The current password is wrong.');
    expect(authErrorText({ status: 429, code: 'rate_limited', message: '', retryAfterMs: 120_000 }, 'signin')).toBe('Too many attempts. Try again in 2 minutes.');
    expect(authErrorText({ status: 400, code: 'invalid_argument', message: 'the password must not be the username' }, 'register')).toBe('The password must not be the username.');
    expect(authErrorText({ status: 500, code: 'internal', message: 'boom' }, 'signin')).toBe('The server failed. Try again in a moment.');
  });

  it('explains each reason for being signed out', () => {
    expect(signedOutText('account deactivated')).toBe('Your account was deactivated.');
    expect(signedOutText('signed out')).toMatch(/another device/);
    expect(signedOutText('something new')).toBe('You were signed out (something new). Sign in again.');
  });
});
