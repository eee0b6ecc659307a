// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { failure } from '../test-support/fakeAuthApi';
import { FakeAccountApi, refused } from '../test-support/fakeAccountApi';
import { type Mounted, button, click, field, mount, said, submit, type } from '../test-support/dom';
import { TwoFactorDialog } from './TwoFactorDialog';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Parley:ada?secret=${SECRET}&issuer=Parley&algorithm=SHA1&digits=6&period=30`;
const CODES = Array.from({ length: 10 }, (_, i) => `k7m2p-x9qr${i}`);

let m: Mounted | undefined;
afterEach(() => m?.unmount());

describe('the two-factor sign-in dialog', () => {
  it('turns it on: a QR code and the key, a code, then the recovery codes once', async () => {
    const api = new FakeAccountApi()
      .answer('totpStatus', { ok: true, status: { enabled: false, recoveryCodesLeft: 0 } })
      .answer('setupTotp', { ok: true, setup: { secret: SECRET, uri: URI } })
      .answer('enableTotp', refused(failure(401, 'invalid_credentials', 'the code is wrong')), { ok: true, recoveryCodes: CODES });
    m = await mount(<TwoFactorDialog username="ada" onClose={() => {}} />, api);
    expect(said(m.root)).toContain('Two-factor sign-in is off.');
    expect(document.activeElement).toBe(button(m.root, 'Turn on'));

    await click(button(m.root, 'Turn on'), m.settle);
    const qr = m.root.querySelector('svg.qr-code');
    expect(qr?.getAttribute('role')).toBe('img');
    expect(qr?.getAttribute('aria-label')).toBe('QR code for your authenticator app');
    expect(qr?.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(m.root.querySelector('.secret-text')?.textContent).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    const code = field(m.root, 'Code from the app');
    expect(document.activeElement).toBe(code);

    await submit(code, m.settle);
    expect(m.root.textContent).toContain('Enter the code from your authenticator app.');
    expect(api.argsOf('enableTotp')).toEqual([]);

    await type(code, '123 456');
    await submit(code, m.settle);
    expect(said(m.root)).toContain('Wrong code, or a code used already. Try the next one the app shows.');
    await submit(code, m.settle);
    expect(api.argsOf('enableTotp')).toEqual([['123456'], ['123456']]);

    expect(said(m.root).join(' ')).toMatch(/Save these recovery codes now: they are shown only this once\./);
    expect([...m.root.querySelectorAll('.recovery-codes li')].map((li) => li.textContent)).toEqual(CODES);
    expect(document.activeElement?.classList.contains('notice-strong')).toBe(true);
    expect(m.root.textContent).not.toContain(SECRET.slice(0, 8)); // the key is gone from the page
  });

  it("shows the server's answer plainly to an account without a password", async () => {
    const message = 'this account signs in through an identity provider and has no password; two-factor sign-in protects password sign-in';
    const api = new FakeAccountApi()
      .answer('totpStatus', { ok: true, status: { enabled: false, recoveryCodesLeft: 0 } })
      .answer('setupTotp', refused(failure(403, 'forbidden', message)));
    m = await mount(<TwoFactorDialog username="ada" onClose={() => {}} />, api);
    await click(button(m.root, 'Turn on'), m.settle);
    expect(m.root.querySelector('[role="alert"]')?.textContent).toBe(
      'This account signs in through an identity provider and has no password; two-factor sign-in protects password sign-in.',
    );
    expect(m.root.querySelector('svg.qr-code')).toBeNull();
  });

  it('turns it off with the password and a code', async () => {
    const api = new FakeAccountApi()
      .answer('totpStatus', { ok: true, status: { enabled: true, recoveryCodesLeft: 9 } })
      .answer('disableTotp', refused(failure(403, 'forbidden', 'the password is wrong')), { ok: true });
    m = await mount(<TwoFactorDialog username="ada" onClose={() => {}} />, api);
    expect(said(m.root)).toContain('Two-factor sign-in is on. 9 recovery codes are left.');
    const password = field(m.root, 'Password');
    expect(password.type).toBe('password');
    await submit(password, m.settle);
    expect(m.root.textContent).toContain('Enter your password.');
    expect(document.activeElement).toBe(password);

    await type(password, 'not it');
    await type(field(m.root, 'Code'), ' 654321 ');
    await submit(password, m.settle);
    expect(said(m.root)).toContain('The password is wrong.');
    await type(password, 'correct horse');
    await submit(password, m.settle);
    expect(api.argsOf('disableTotp')).toEqual([['not it', '654321'], ['correct horse', '654321']]);
    expect(said(m.root)).toContain('Two-factor sign-in is off.');
    expect(button(m.root, 'Turn on')).toBeTruthy();
  });

  it('offers to ask again when the status cannot be had, and closes from its button', async () => {
    const onClose = vi.fn();
    const api = new FakeAccountApi()
      .answer('totpStatus', refused(failure(0, 'network', 'down')), { ok: true, status: { enabled: false, recoveryCodesLeft: 0 } });
    m = await mount(<TwoFactorDialog username="ada" onClose={onClose} />, api);
    expect(said(m.root)).toContain('Cannot reach the server. Check your connection and try again.');
    await click(button(m.root, 'Try again'), m.settle);
    expect(said(m.root)).toContain('Two-factor sign-in is off.');
    await click(button(m.root, 'Close'), m.settle);
    expect(onClose).toHaveBeenCalledOnce();
  });
});
