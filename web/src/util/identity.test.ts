import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../test-support/memoryStorage';
import { clearIdentity, loadIdentity, saveIdentity } from './identity';
import { validateName, validateRoomName } from './names';

describe('identity', () => {
  it('keeps the name and guestKey across loads', () => {
    const s = new MemoryStorage();
    expect(loadIdentity(s)).toBeUndefined();
    saveIdentity({ name: 'ada', guestKey: 'k1' }, s);
    expect(loadIdentity(s)).toEqual({ name: 'ada', guestKey: 'k1' });
    clearIdentity(s);
    expect(loadIdentity(s)).toBeUndefined();
  });

  it('ignores what it cannot use', () => {
    const s = new MemoryStorage();
    s.setItem('parley.identity', '{not json');
    expect(loadIdentity(s)).toBeUndefined();
    s.setItem('parley.identity', JSON.stringify({ name: ' spaced ', guestKey: 'k' }));
    expect(loadIdentity(s)).toBeUndefined();
    s.setItem('parley.identity', JSON.stringify({ name: 'ada', guestKey: 42 }));
    expect(loadIdentity(s)).toEqual({ name: 'ada' });
  });
});

describe('name rules', () => {
  it('accepts what the server accepts', () => {
    for (const ok of ['ada', 'Ada Lovelace', 'zoë_2', 'a.b-c', 'x'.repeat(32)]) expect(validateName(ok)).toBeUndefined();
  });

  it('rejects what the server rejects, saying why', () => {
    expect(validateName('')).toMatch(/Enter a name/);
    expect(validateName('x'.repeat(33))).toMatch(/32/);
    expect(validateName(' ada')).toMatch(/start or end/);
    expect(validateName('<b>')).toMatch(/only/);
  });

  it('checks room names', () => {
    expect(validateRoomName('design-review')).toBeUndefined();
    expect(validateRoomName('team chat')).toBeUndefined();
    expect(validateRoomName(' lead')).toBeDefined();
    expect(validateRoomName('trail ')).toBeDefined();
    expect(validateRoomName('a/b')).toBeDefined();
    expect(validateRoomName('x'.repeat(41))).toMatch(/40/);
  });
});
