import type { Role, Room, User } from '../protocol/types';

// What the app offers in a room, mirroring the server's rules (docs/protocol.md, "Rooms and
// roles"). The server decides; these only keep the app from offering what it would refuse.

const GENERAL = 'general';

function isGeneral(room: Room): boolean {
  return room.kind === 'public' && room.name === GENERAL;
}

function runs(role: Role | undefined): boolean {
  return role === 'owner' || role === 'moderator';
}

/** Owners and moderators invite to public and private rooms; nobody invites to a DM. */
export function canInvite(room: Room): boolean {
  return room.kind !== 'dm' && runs(room.role);
}

/** An owner removes anyone but themself, a moderator plain members; never in a DM or general. */
export function canRemove(room: Room, me: User | undefined, member: User): boolean {
  if (room.kind === 'dm' || isGeneral(room) || !me || member.id === me.id) return false;
  if (room.role === 'owner') return true;
  return room.role === 'moderator' && (member.role ?? 'member') === 'member';
}

/** Members leave any room but general and DMs. */
export function canLeave(room: Room): boolean {
  return room.kind !== 'dm' && !isGeneral(room);
}
