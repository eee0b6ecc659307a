import { describe, expect, it } from 'vitest';
import { ADA, BOB, msg } from '../test-support/messages';
import { type ReadState, applyIncoming, countUnread, markReadUpTo } from './unread';

const start: ReadState = { unread: 2, lastReadSeq: 10, lastSeq: 12 };

describe('applyIncoming', () => {
  it('counts a new text message from someone else', () => {
    expect(applyIncoming(start, msg(13), ADA.id)).toEqual({ unread: 3, lastReadSeq: 10, lastSeq: 13 });
  });

  it('does not count what the server figure already covers (a catch-up of older seqs)', () => {
    expect(applyIncoming(start, msg(11), ADA.id)).toBe(start);
    expect(applyIncoming(start, msg(12), ADA.id)).toBe(start);
  });

  it('does not count join and leave notices', () => {
    expect(applyIncoming(start, msg(13, { kind: 'join', text: '' }), ADA.id)).toEqual({ ...start, lastSeq: 13 });
  });

  it('treats a message of ones own as having read the room', () => {
    expect(applyIncoming(start, msg(13, { user: ADA }), ADA.id)).toEqual({ unread: 0, lastReadSeq: 13, lastSeq: 13 });
  });

  it('adds up over a run of messages', () => {
    const end = [13, 14, 15].reduce((s, seq) => applyIncoming(s, msg(seq), ADA.id), start);
    expect(end.unread).toBe(5);
  });
});

describe('countUnread and markReadUpTo', () => {
  const held = [msg(9), msg(10, { user: ADA }), msg(11), msg(12, { kind: 'leave' }), msg(13)];

  it('counts text from others after the read position', () => {
    expect(countUnread(held, 9, ADA.id)).toBe(2);
    expect(countUnread(held, 0, BOB.id)).toBe(1);
  });

  it('marks read up to a seq and counts what is left', () => {
    expect(markReadUpTo({ unread: 2, lastReadSeq: 10, lastSeq: 13 }, 11, held, ADA.id)).toEqual({
      unread: 1,
      lastReadSeq: 11,
      lastSeq: 13,
    });
    expect(markReadUpTo({ unread: 2, lastReadSeq: 10, lastSeq: 13 }, 13, held, ADA.id).unread).toBe(0);
  });

  it('never moves the read position backwards', () => {
    const s = { unread: 0, lastReadSeq: 13, lastSeq: 13 };
    expect(markReadUpTo(s, 11, held, ADA.id)).toBe(s);
  });
});
