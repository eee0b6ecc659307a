// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceSession } from '../protocol/accountApi';
import { failure } from '../test-support/fakeAuthApi';
import { FakeAccountApi, refused } from '../test-support/fakeAccountApi';
import { type Mounted, button, click, mount, said } from '../test-support/dom';
import { DevicesDialog } from './DevicesDialog';

let m: Mounted | undefined;
afterEach(() => m?.unmount());

const HERE: DeviceSession = { id: 'c'.repeat(64), current: true, createdAt: Date.UTC(2026, 0, 2, 9), lastSeenAt: Date.UTC(2026, 0, 3, 9), userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36' };
const PHONE: DeviceSession = { id: 'a'.repeat(64), current: false, createdAt: Date.UTC(2025, 11, 1, 9), lastSeenAt: Date.UTC(2025, 11, 5, 9), userAgent: 'Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0' };
const LAPTOP: DeviceSession = { id: 'b'.repeat(64), current: false, createdAt: Date.UTC(2025, 10, 1, 9), lastSeenAt: Date.UTC(2025, 10, 1, 9) };

describe('the signed-in devices dialog', () => {
  it('lists the sessions with this one marked, and signs out another', async () => {
    const api = new FakeAccountApi()
      .answer('sessions', { ok: true, sessions: [HERE, PHONE, LAPTOP] })
      .answer('revokeSession', { ok: true }, refused(failure(404, 'not_found', 'no such session')));
    m = await mount(<DevicesDialog onClose={() => {}} />, api);
    const rows = [...m.root.querySelectorAll('.device-list li')];
    expect(rows.map((r) => r.querySelector('.browse-name')?.textContent)).toEqual(['Chrome on LinuxThis device', 'Firefox on Android', 'Unknown browser']);
    expect(rows[0]!.textContent).toMatch(/Signed in .*2026.*Last used .*2026/);
    expect(rows[0]!.querySelector('button')).toBeNull();

    await click(button(m.root, /^Sign out Firefox on Android, signed in /), m.settle);
    expect(api.argsOf('revokeSession')).toEqual([[PHONE.id]]);
    expect(said(m.root)).toContain('Firefox on Android was signed out.');
    expect(m.root.querySelectorAll('.device-list li')).toHaveLength(2);
    expect(document.activeElement).toBe(m.root.querySelector('.device-list'));

    await click(button(m.root, /^Sign out Unknown browser/), m.settle);
    expect(said(m.root)).toContain('That device was signed out already.');
    expect(m.root.querySelectorAll('.device-list li')).toHaveLength(1);
  });

  it('says why the list cannot be had and asks again', async () => {
    const api = new FakeAccountApi()
      .answer('sessions', refused(failure(401, 'unauthorized', 'no credential')), { ok: true, sessions: [HERE] });
    m = await mount(<DevicesDialog onClose={() => {}} />, api);
    expect(said(m.root)).toContain('You are no longer signed in. Sign in again.');
    await click(button(m.root, 'Try again'), m.settle);
    expect(m.root.querySelectorAll('.device-list li')).toHaveLength(1);
  });
});
