import type { Message } from '../protocol/types';

/** A room's read position. `lastSeq` is the newest seq the `unread` count already accounts for. */
export interface ReadState {
  readonly unread: number;
  readonly lastReadSeq: number;
  readonly lastSeq: number;
}

function counts(m: Message, meId: string | undefined): boolean {
  return m.kind === 'text' && m.user.id !== meId;
}

/**
 * Accounts for a message the client did not hold before. Only messages past `lastSeq` add to the
 * count: older ones (from a catch-up or history) are already in the server's figure.
 */
export function applyIncoming(state: ReadState, m: Message, meId: string | undefined): ReadState {
  if (m.seq <= state.lastSeq) return state;
  if (meId !== undefined && m.user.id === meId) {
    // Writing in a room means having read it.
    return { unread: 0, lastReadSeq: m.seq, lastSeq: m.seq };
  }
  const unread = m.seq > state.lastReadSeq && counts(m, meId) ? state.unread + 1 : state.unread;
  return { ...state, unread, lastSeq: m.seq };
}

/** Unread messages among those held: after `lastReadSeq`, written by someone else. */
export function countUnread(messages: readonly Message[], lastReadSeq: number, meId: string | undefined): number {
  let n = 0;
  for (const m of messages) if (m.seq > lastReadSeq && counts(m, meId)) n++;
  return n;
}

/** Marks read up to `seq`, counting what remains from the held messages. Never moves backwards. */
export function markReadUpTo(
  state: ReadState,
  seq: number,
  messages: readonly Message[],
  meId: string | undefined,
): ReadState {
  if (seq <= state.lastReadSeq) return state;
  const lastSeq = Math.max(state.lastSeq, seq);
  return { unread: countUnread(messages, seq, meId), lastReadSeq: seq, lastSeq };
}
