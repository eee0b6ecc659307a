import { MAX_NAME_LENGTH, MAX_ROOM_NAME_LENGTH } from '../protocol/types';

// The server's rules (docs/protocol.md), checked before asking so mistakes show at once.
const NAME_RE = /^[\p{L}\p{N}_.\- ]+$/u;
const ROOM_NAME_RE = /^[\p{L}\p{N}_.-]([\p{L}\p{N}_. -]*[\p{L}\p{N}_.-])?$/u;

/** A guest name: 1–32 letters, digits, spaces and _ . -, no space at either end. */
export function validateName(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name.';
  if (name.length > MAX_NAME_LENGTH) return `At most ${MAX_NAME_LENGTH} characters.`;
  if (name !== name.trim()) return 'No spaces at the start or end.';
  if (!NAME_RE.test(name)) return 'Letters, digits, spaces and _ . - only.';
  return undefined;
}

/** A room name: 1–40 letters, digits and _ . -, spaces only inside. */
export function validateRoomName(name: string): string | undefined {
  if (name === '') return 'Enter a name for the room.';
  if (name.length > MAX_ROOM_NAME_LENGTH) return `At most ${MAX_ROOM_NAME_LENGTH} characters.`;
  if (!ROOM_NAME_RE.test(name)) return 'Letters, digits and _ . - (spaces only inside).';
  return undefined;
}
