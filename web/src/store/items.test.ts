import { describe, expect, it } from 'vitest';
import { ADA, BOB, msg } from '../test-support/messages';
import { GROUP_WINDOW_MS, buildItems, dayKey, dayLabel } from './items';
import type { PendingMessage } from './timeline';

// Local times, so the tests hold in any time zone.
const at = (day: number, h: number, m = 0): number => new Date(2024, 2, day, h, m).getTime();
const NOW = at(15, 12);

const kinds = (items: ReturnType<typeof buildItems>): string[] =>
  items.map((i) => (i.type === 'message' ? (i.head ? 'head' : 'cont') : i.type));

describe('day separators', () => {
  it('puts one before the first message of each local day', () => {
    const items = buildItems(
      [msg(1, { ts: at(13, 23, 56) }), msg(2, { ts: at(13, 23, 59) }), msg(3, { ts: at(14, 0, 1) }), msg(4, { ts: at(15, 9) })],
      [],
      ADA,
      NOW,
    );
    expect(items.filter((i) => i.type === 'day').map((i) => i.type === 'day' && i.label)).toEqual([
      dayLabel(at(13, 1), NOW, 'en-US'),
      'Yesterday',
      'Today',
    ]);
    expect(kinds(items)).toEqual(['day', 'head', 'cont', 'day', 'head', 'day', 'head']);
  });

  it('labels days by the local calendar', () => {
    expect(dayKey(at(14, 0, 0))).toBe('2024-03-14');
    expect(dayKey(at(14, 23, 59))).toBe('2024-03-14');
    expect(dayLabel(at(15, 0, 1), NOW)).toBe('Today');
    expect(dayLabel(at(14, 23, 59), NOW)).toBe('Yesterday');
    expect(dayLabel(at(10, 8), NOW, 'en-US')).toBe('Sunday, March 10');
    expect(dayLabel(new Date(2023, 11, 31, 8).getTime(), NOW, 'en-US')).toBe('December 31, 2023');
  });
});

describe('author grouping', () => {
  it('groups consecutive messages by one author within the window', () => {
    const items = buildItems(
      [
        msg(1, { ts: at(15, 9, 0) }),
        msg(2, { ts: at(15, 9, 1) }),
        msg(3, { ts: at(15, 9, 2), user: ADA }),
        msg(4, { ts: at(15, 9, 3) }),
        msg(5, { ts: at(15, 9, 3) + GROUP_WINDOW_MS + 1 }),
      ],
      [],
      ADA,
      NOW,
    );
    expect(kinds(items)).toEqual(['day', 'head', 'cont', 'head', 'head', 'head']);
  });

  it('shows join and leave as notices that break a group', () => {
    const items = buildItems(
      [msg(1, { ts: at(15, 9) }), msg(2, { ts: at(15, 9, 1), kind: 'join', user: ADA, text: '' }), msg(3, { ts: at(15, 9, 2) })],
      [],
      ADA,
      NOW,
    );
    expect(kinds(items)).toEqual(['day', 'head', 'notice', 'head']);
  });

  it('marks where messages could not be loaded', () => {
    const items = buildItems([msg(1, { ts: at(15, 9) }), msg(4, { ts: at(15, 9, 1) })], [], ADA, NOW, [{ from: 2, to: 3 }]);
    expect(kinds(items)).toEqual(['day', 'head', 'gap', 'head']);
  });
});

describe('pending messages', () => {
  const p: PendingMessage = { clientMsgId: 'c1', roomId: 'r1', text: 'on its way', createdAt: at(15, 9, 2), status: 'sending', attempts: 1 };

  it('come after the held ones, as the user, grouped with their own last message', () => {
    const items = buildItems([msg(1, { ts: at(15, 9), user: ADA })], [p], ADA, NOW);
    expect(kinds(items)).toEqual(['day', 'head', 'cont']);
    const last = items[2]!;
    expect(last.type === 'message' && last.pending?.clientMsgId).toBe('c1');
    expect(last.type === 'message' && last.user).toBe(ADA);
  });

  it('keep their row key once confirmed, so the row is not rebuilt', () => {
    const before = buildItems([], [p], ADA, NOW).at(-1)!;
    const after = buildItems([msg(7, { user: ADA, clientMsgId: 'c1', ts: at(15, 9, 2) })], [], ADA, NOW).at(-1)!;
    expect(after.key).toBe(before.key);
    const other = buildItems([msg(8, { user: BOB, clientMsgId: 'c1' })], [], ADA, NOW).at(-1)!;
    expect(other.key).not.toBe(before.key);
  });
});
