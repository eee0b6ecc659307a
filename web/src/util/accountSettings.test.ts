import { describe, expect, it } from 'vitest';
import { failure } from '../test-support/fakeAuthApi';
import { deviceName, settingsErrorText, validateEmail, validateSixDigits } from './accountSettings';

describe('the words of the account settings', () => {
  it('says how long to wait before another code can be mailed', () => {
    expect(settingsErrorText(failure(429, 'rate_limited', 'too soon', 42_000), 'email-code')).toBe(
      'A code was sent a moment ago. You can ask for another in 42 seconds.',
    );
    expect(settingsErrorText(failure(429, 'rate_limited', 'too soon', 1_800_000), 'email')).toBe(
      'A code was sent a moment ago. You can ask for another in 30 minutes.',
    );
  });

  it("shows the server's reason when an account without a password cannot turn two-factor sign-in on", () => {
    const message = 'this account signs in through an identity provider and has no password; two-factor sign-in protects password sign-in';
    expect(settingsErrorText(failure(403, 'forbidden', message), 'totp-setup')).toBe(
      'This account signs in through an identity provider and has no password; two-factor sign-in protects password sign-in.',
    );
  });

  it('tells a wrong password from a wrong code when turning it off', () => {
    expect(settingsErrorText(failure(403, 'forbidden', 'the password is wrong'), 'totp-disable')).toBe('The password is wrong.');
    expect(settingsErrorText(failure(401, 'invalid_credentials', 'the code is wrong'), 'totp-disable')).toMatch(/^Wrong code/);
  });

  it("words the mail code's refusals", () => {
    expect(settingsErrorText(failure(400, 'invalid_code', 'the code is wrong; 3 attempts left'), 'email-verify')).toBe('The code is wrong; 3 attempts left.');
    expect(settingsErrorText(failure(400, 'code_expired', 'x'), 'email-verify')).toMatch(/Ask for a new one/);
    expect(settingsErrorText(failure(409, 'conflict', 'x'), 'email')).toMatch(/Another account/);
    expect(settingsErrorText(failure(0, 'network', 'x'), 'sessions')).toMatch(/Cannot reach the server/);
  });

  it('checks codes and addresses before asking', () => {
    expect(validateSixDigits('', 'app')).toBe('Enter the code from your authenticator app.');
    expect(validateSixDigits('123 456', 'mail')).toBeUndefined();
    expect(validateSixDigits('12345', 'app')).toBe('The code is 6 digits.');
    expect(validateEmail(' ada@example.org ')).toBeUndefined();
    expect(validateEmail('ada')).toBe('That is not an email address.');
  });

  it('names a device by its browser and system', () => {
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1')).toBe('Safari on iOS');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe('Firefox on Windows');
    expect(deviceName(undefined)).toBe('Unknown browser');
  });
});
