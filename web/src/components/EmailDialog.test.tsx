// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { failure } from '../test-support/fakeAuthApi';
import { FakeAccountApi, refused } from '../test-support/fakeAccountApi';
import { type Mounted, button, click, field, mount, said, submit, type } from '../test-support/dom';
import { EmailDialog } from './EmailDialog';

let m: Mounted | undefined;
afterEach(() => m?.unmount());

describe('the email address dialog', () => {
  it('sets an address, says how long to wait for another code, and verifies it', async () => {
    const unverified = { name: 'ada', email: 'ada@example.org', emailVerified: false };
    const api = new FakeAccountApi()
      .answer('profile', { ok: true, profile: { name: 'ada', emailVerified: false } })
      .answer('setEmail', { ok: true, profile: unverified, codeSent: true })
      .answer('resendEmailCode', refused(failure(429, 'rate_limited', 'a code was sent too recently', 42_000)))
      .answer('verifyEmail', refused(failure(400, 'invalid_code', 'the code is wrong; 4 attempts left')), {
        ok: true, profile: { ...unverified, emailVerified: true },
      });
    m = await mount(<EmailDialog onClose={() => {}} />, api);
    expect(m.root.textContent).toContain('Your account has no email address.');

    await click(button(m.root, 'Add an address'), m.settle);
    const email = field(m.root, 'Email address');
    expect(document.activeElement).toBe(email);
    await type(email, 'ada');
    await submit(email, m.settle);
    expect(m.root.textContent).toContain('That is not an email address.');
    await type(email, ' ada@example.org ');
    await submit(email, m.settle);
    expect(api.argsOf('setEmail')).toEqual([['ada@example.org']]);
    expect(said(m.root)).toContain('We sent a 6-digit code to ada@example.org.');
    expect(m.root.querySelector('.email-line')?.textContent).toBe('ada@example.org Not verified');

    const code = field(m.root, 'Code from the mail');
    expect(document.activeElement).toBe(code);
    await click(button(m.root, 'Send a new code'), m.settle);
    expect(said(m.root)).toContain('A code was sent a moment ago. You can ask for another in 42 seconds.');

    await type(code, '111111');
    await submit(code, m.settle);
    expect(said(m.root)).toContain('The code is wrong; 4 attempts left.');
    await type(code, '123456');
    await submit(code, m.settle);
    expect(api.argsOf('verifyEmail')).toEqual([['111111'], ['123456']]);
    expect(said(m.root)).toContain('Your address ada@example.org is verified.');
    expect(m.root.querySelector('.email-line')?.textContent).toBe('ada@example.org Verified');
    expect(() => field(m!.root, 'Code from the mail')).toThrow();
    expect(document.activeElement).toBe(button(m.root, 'Change address'));
  });

  it('shows an address with markup in it as text', async () => {
    const email = '"<img src=x onerror=alert(1)>"@example.org';
    const api = new FakeAccountApi().answer('profile', { ok: true, profile: { name: 'ada', email, emailVerified: true } });
    m = await mount(<EmailDialog onClose={() => {}} />, api);
    expect(m.root.querySelector('.email-address')?.textContent).toBe(email);
    expect(m.root.querySelector('img')).toBeNull();
  });
});
