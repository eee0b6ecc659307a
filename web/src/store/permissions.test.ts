import { describe, expect, it } from 'vitest';
import type { Role, Room, User } from '../protocol/types';
import { canInvite, canLeave, canRemove } from './permissions';

const ME: User = { id: 'u-me', name: 'me' };
const room = (kind: Room['kind'], role?: Role, name = 'plans'): Room => ({
  id: 'r1', name, kind, topic: '', lastSeq: 0, memberCount: 3, ...(role ? { role } : {}),
});
const member = (role: Role): User => ({ id: `u-${role}`, name: role, role });

describe('permissions', () => {
  it('lets owners and moderators invite, except to a DM', () => {
    expect(canInvite(room('private', 'owner'))).toBe(true);
    expect(canInvite(room('public', 'moderator'))).toBe(true);
    expect(canInvite(room('private', 'member'))).toBe(false);
    expect(canInvite(room('private'))).toBe(false);
    expect(canInvite(room('dm', 'owner'))).toBe(false);
  });

  it('lets an owner remove anyone else and a moderator plain members only', () => {
    const owned = room('private', 'owner');
    expect(['owner', 'moderator', 'member'].map((r) => canRemove(owned, ME, member(r as Role)))).toEqual([true, true, true]);
    const moderated = room('public', 'moderator');
    expect(['owner', 'moderator', 'member'].map((r) => canRemove(moderated, ME, member(r as Role)))).toEqual([false, false, true]);
    expect(canRemove(moderated, ME, { id: 'u-x', name: 'x' })).toBe(true); // no role given: a member
    expect(canRemove(room('private', 'member'), ME, member('member'))).toBe(false);
  });

  it('never offers removing oneself, nor anyone from general or a DM', () => {
    expect(canRemove(room('private', 'owner'), ME, { ...ME, role: 'owner' })).toBe(false);
    expect(canRemove(room('public', 'owner', 'general'), ME, member('member'))).toBe(false);
    expect(canRemove(room('dm', 'owner'), ME, member('member'))).toBe(false);
    expect(canRemove(room('private', 'owner'), undefined, member('member'))).toBe(false);
  });

  it('lets members leave any room but general and DMs', () => {
    expect(canLeave(room('private', 'owner'))).toBe(true);
    expect(canLeave(room('public', 'member'))).toBe(true);
    expect(canLeave(room('public', 'member', 'general'))).toBe(false);
    expect(canLeave(room('dm', 'member'))).toBe(false);
  });
});
