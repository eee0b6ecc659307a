import type { ChatError, Message, User } from '../protocol/types';

/** A message this client sent that the server has not acknowledged yet. */
export interface PendingMessage {
  readonly clientMsgId: string;
  readonly roomId: string;
  readonly text: string;
  readonly createdAt: number;
  /**
   * sending: on the wire; waiting: queued until the connection is back; retrying: refused for a
   * passing reason (overloaded, timeout) and resent soon; failed: refused for good, the user decides.
   */
  readonly status: 'sending' | 'waiting' | 'retrying' | 'failed';
  readonly attempts: number;
  readonly error?: ChatError;
}

/** An inclusive range of seqs. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

/** What this client holds of one room's messages. Immutable: every change makes a new value. */
export interface Timeline {
  /** Ascending seq; no two share a seq or an id. */
  readonly messages: readonly Message[];
  /** In the order they were written. */
  readonly pending: readonly PendingMessage[];
  /** The newest page has been fetched, so a hole between held messages is a real gap. */
  readonly loaded: boolean;
  /** Older messages exist on the server before the first one held. */
  readonly hasMoreBefore: boolean;
  /** Gaps the server could not fill: shown, never retried. */
  readonly missing: readonly SeqRange[];
}

export const EMPTY_TIMELINE: Timeline = {
  messages: [],
  pending: [],
  loaded: false,
  hasMoreBefore: true,
  missing: [],
};

export function lastSeq(t: Timeline): number {
  return t.messages.length === 0 ? 0 : t.messages[t.messages.length - 1]!.seq;
}

export function firstSeq(t: Timeline): number {
  return t.messages.length === 0 ? 0 : t.messages[0]!.seq;
}

export interface MergeResult {
  readonly timeline: Timeline;
  /** The messages that were not held before, ascending seq. */
  readonly added: readonly Message[];
}

/**
 * Adds messages in any order, dropping those already held (same seq or same id) and the pending
 * entries they confirm (same clientMsgId).
 */
export function mergeMessages(t: Timeline, incoming: readonly Message[]): MergeResult {
  if (incoming.length === 0) return { timeline: t, added: [] };
  const seqs = new Set(t.messages.map((m) => m.seq));
  const ids = new Set(t.messages.map((m) => m.id));
  const added: Message[] = [];
  for (const m of [...incoming].sort((a, b) => a.seq - b.seq)) {
    if (seqs.has(m.seq) || ids.has(m.id)) continue;
    seqs.add(m.seq);
    ids.add(m.id);
    added.push(m);
  }
  if (added.length === 0) return { timeline: t, added };
  const messages = mergeSorted(t.messages, added);
  const confirmed = new Set(added.flatMap((m) => (m.clientMsgId ? [m.clientMsgId] : [])));
  const pending = confirmed.size === 0 ? t.pending : t.pending.filter((p) => !confirmed.has(p.clientMsgId));
  return { timeline: { ...t, messages, pending }, added };
}

function mergeSorted(a: readonly Message[], b: readonly Message[]): Message[] {
  const out: Message[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.seq < b[j]!.seq)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** The holes between the held messages that are not already known to be unfillable. */
export function findGaps(t: Timeline): SeqRange[] {
  const gaps: SeqRange[] = [];
  for (let i = 1; i < t.messages.length; i++) {
    const prev = t.messages[i - 1]!.seq;
    const next = t.messages[i]!.seq;
    if (next > prev + 1) gaps.push({ from: prev + 1, to: next - 1 });
  }
  return gaps.filter((g) => !t.missing.some((m) => m.from <= g.from && m.to >= g.to));
}

export function markMissing(t: Timeline, range: SeqRange): Timeline {
  return { ...t, missing: [...t.missing, range] };
}

export function addPending(t: Timeline, p: PendingMessage): Timeline {
  return { ...t, pending: [...t.pending, p] };
}

export function updatePending(t: Timeline, clientMsgId: string, patch: Partial<PendingMessage>): Timeline {
  if (!t.pending.some((p) => p.clientMsgId === clientMsgId)) return t;
  return { ...t, pending: t.pending.map((p) => (p.clientMsgId === clientMsgId ? { ...p, ...patch } : p)) };
}

export function removePending(t: Timeline, clientMsgId: string): Timeline {
  return { ...t, pending: t.pending.filter((p) => p.clientMsgId !== clientMsgId) };
}

/** The message an acknowledgement stands for, to show before the broadcast arrives. */
export function messageFromAck(
  p: PendingMessage,
  ack: { readonly id: string; readonly seq: number; readonly ts: number },
  me: User,
): Message {
  return { id: ack.id, roomId: p.roomId, seq: ack.seq, ts: ack.ts, user: me, text: p.text, clientMsgId: p.clientMsgId, kind: 'text' };
}

/** Replaces everything held with the newest page (after a catch-up too long to page through). */
export function resetToPage(t: Timeline, page: readonly Message[], hasMore: boolean): Timeline {
  const fresh = mergeMessages({ ...EMPTY_TIMELINE, pending: t.pending }, page).timeline;
  return { ...fresh, loaded: true, hasMoreBefore: hasMore };
}
