import { describe, expect, it } from 'vitest';
import { ADA, msg } from '../test-support/messages';
import {
  EMPTY_TIMELINE,
  type PendingMessage,
  addPending,
  findGaps,
  firstSeq,
  lastSeq,
  markMissing,
  mergeMessages,
  messageFromAck,
  resetToPage,
  updatePending,
} from './timeline';

const seqs = (t: { messages: readonly { seq: number }[] }): number[] => t.messages.map((m) => m.seq);

function pending(clientMsgId: string, over: Partial<PendingMessage> = {}): PendingMessage {
  return { clientMsgId, roomId: 'r1', text: 'hi', createdAt: 0, status: 'sending', attempts: 1, ...over };
}

describe('mergeMessages', () => {
  it('keeps messages in seq order whatever order they arrive in', () => {
    let t = mergeMessages(EMPTY_TIMELINE, [msg(5), msg(2)]).timeline;
    t = mergeMessages(t, [msg(4), msg(1), msg(3)]).timeline;
    t = mergeMessages(t, [msg(7), msg(6)]).timeline;
    expect(seqs(t)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(firstSeq(t)).toBe(1);
    expect(lastSeq(t)).toBe(7);
  });

  it('drops a message it already holds, by seq or by id, and reports only the new ones', () => {
    const t = mergeMessages(EMPTY_TIMELINE, [msg(1), msg(2)]).timeline;
    const again = mergeMessages(t, [msg(2), msg(3, { id: 'm1' }), msg(4), msg(4)]);
    expect(again.added.map((m) => m.seq)).toEqual([4]);
    expect(seqs(again.timeline)).toEqual([1, 2, 4]);
  });

  it('returns the same timeline when nothing is new', () => {
    const t = mergeMessages(EMPTY_TIMELINE, [msg(1)]).timeline;
    expect(mergeMessages(t, [msg(1)]).timeline).toBe(t);
  });

  it('removes the pending entry that a message with the same clientMsgId confirms', () => {
    let t = addPending(addPending(EMPTY_TIMELINE, pending('a')), pending('b'));
    t = mergeMessages(t, [msg(9, { user: ADA, clientMsgId: 'a' })]).timeline;
    expect(t.pending.map((p) => p.clientMsgId)).toEqual(['b']);
  });

  it('turns an acknowledgement into a held message once, however often it is applied', () => {
    const p = pending('a', { text: 'hello' });
    const t = addPending(EMPTY_TIMELINE, p);
    const fromAck = messageFromAck(p, { id: 'm10', seq: 10, ts: 5 }, ADA);
    const once = mergeMessages(t, [fromAck]).timeline;
    // The broadcast of the same message arrives afterwards.
    const twice = mergeMessages(once, [msg(10, { id: 'm10', user: ADA, text: 'hello', clientMsgId: 'a' })]).timeline;
    expect(twice.messages).toHaveLength(1);
    expect(twice.messages[0]).toMatchObject({ id: 'm10', seq: 10, text: 'hello', user: ADA });
    expect(twice.pending).toHaveLength(0);
  });
});

describe('gaps', () => {
  it('finds every hole between held messages', () => {
    const t = mergeMessages(EMPTY_TIMELINE, [msg(1), msg(2), msg(5), msg(6), msg(9)]).timeline;
    expect(findGaps(t)).toEqual([
      { from: 3, to: 4 },
      { from: 7, to: 8 },
    ]);
  });

  it('finds none in a contiguous run', () => {
    expect(findGaps(mergeMessages(EMPTY_TIMELINE, [msg(3), msg(4), msg(5)]).timeline)).toEqual([]);
  });

  it('leaves out a gap already known to be unfillable', () => {
    let t = mergeMessages(EMPTY_TIMELINE, [msg(1), msg(4), msg(7)]).timeline;
    t = markMissing(t, { from: 2, to: 3 });
    expect(findGaps(t)).toEqual([{ from: 5, to: 6 }]);
  });
});

describe('pending', () => {
  it('updates only the entry named', () => {
    const t = updatePending(addPending(addPending(EMPTY_TIMELINE, pending('a')), pending('b')), 'b', { status: 'failed' });
    expect(t.pending.map((p) => p.status)).toEqual(['sending', 'failed']);
  });

  it('survives a reset to the newest page', () => {
    let t = addPending(mergeMessages(EMPTY_TIMELINE, [msg(1), msg(2)]).timeline, pending('a'));
    t = resetToPage(t, [msg(500), msg(499)], true);
    expect(seqs(t)).toEqual([499, 500]);
    expect(t.pending.map((p) => p.clientMsgId)).toEqual(['a']);
    expect(t.loaded).toBe(true);
    expect(t.hasMoreBefore).toBe(true);
  });
});
