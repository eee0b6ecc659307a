import type { Message, User } from '../protocol/types';
import type { PendingMessage, SeqRange } from './timeline';

/** A row of the message list. */
export type TimelineItem =
  | { readonly type: 'day'; readonly key: string; readonly label: string }
  | { readonly type: 'gap'; readonly key: string; readonly range: SeqRange }
  | { readonly type: 'notice'; readonly key: string; readonly message: Message }
  | {
      readonly type: 'message';
      readonly key: string;
      readonly user: User;
      readonly text: string;
      readonly ts: number;
      /** First of a run by one author: shows the name and time. */
      readonly head: boolean;
      readonly message?: Message;
      readonly pending?: PendingMessage;
    };

/** Consecutive messages by one author closer than this are shown as one group. */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;

/** The local calendar day of a time, as a sortable key. */
export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday", "Monday, March 4" (this year) or "March 4, 2023". */
export function dayLabel(ts: number, now: number, locale?: string): string {
  const key = dayKey(ts);
  if (key === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return 'Yesterday';
  const d = new Date(ts);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleDateString(
    locale,
    sameYear ? { weekday: 'long', month: 'long', day: 'numeric' } : { year: 'numeric', month: 'long', day: 'numeric' },
  );
}

/** Local time of day, e.g. "14:05" or "2:05 PM" depending on the locale. */
export function timeLabel(ts: number, locale?: string): string {
  return new Date(ts).toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
}

interface Entry {
  readonly user: User;
  readonly text: string;
  readonly ts: number;
  readonly message?: Message;
  readonly pending?: PendingMessage;
}

/**
 * Lays out held messages, then pending ones, with a separator at each new local day, a marker
 * where messages could not be loaded, and author grouping for text messages.
 */
export function buildItems(
  messages: readonly Message[],
  pending: readonly PendingMessage[],
  me: User | undefined,
  now: number,
  missing: readonly SeqRange[] = [],
  locale?: string,
): TimelineItem[] {
  const entries: Entry[] = messages.map((m) => ({ user: m.user, text: m.text, ts: m.ts, message: m }));
  if (me) for (const p of pending) entries.push({ user: me, text: p.text, ts: p.createdAt, pending: p });

  const items: TimelineItem[] = [];
  let day: string | undefined;
  let prev: Entry | undefined;
  for (const e of entries) {
    const d = dayKey(e.ts);
    if (d !== day) {
      items.push({ type: 'day', key: `day-${d}`, label: dayLabel(e.ts, now, locale) });
      day = d;
      prev = undefined;
    }
    const gap = e.message && missing.find((r) => r.to === e.message!.seq - 1);
    if (gap) {
      items.push({ type: 'gap', key: `gap-${gap.from}`, range: gap });
      prev = undefined;
    }
    if (e.message && e.message.kind !== 'text') {
      items.push({ type: 'notice', key: `m-${e.message.id}`, message: e.message });
      prev = undefined;
      continue;
    }
    const head = !prev || prev.user.id !== e.user.id || e.ts - prev.ts > GROUP_WINDOW_MS;
    // Keyed by clientMsgId when there is one, so a pending row stays the same row once confirmed.
    const cmid = e.message?.clientMsgId ?? e.pending?.clientMsgId;
    const key = cmid ? `c-${e.user.id}-${cmid}` : `m-${e.message!.id}`;
    items.push({
      type: 'message',
      key,
      user: e.user,
      text: e.text,
      ts: e.ts,
      head,
      ...(e.message ? { message: e.message } : {}),
      ...(e.pending ? { pending: e.pending } : {}),
    });
    prev = e;
  }
  return items;
}
