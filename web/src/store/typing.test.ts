import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fakeClock';
import { ADA, BOB } from '../test-support/messages';
import { TYPING_EXPIRY_MS, TypingThrottle, pruneTyping, setTyping, typingText, typists } from './typing';

function throttle() {
  const clock = new FakeClock();
  const sent: boolean[] = [];
  const t = new TypingThrottle((typing) => sent.push(typing), clock, { resendMs: 3000, idleMs: 2000 });
  return { clock, sent, t };
}

describe('TypingThrottle', () => {
  it('sends true once for a burst of keystrokes', () => {
    const { clock, sent, t } = throttle();
    for (let i = 0; i < 10; i++) {
      t.input();
      clock.advance(100);
    }
    expect(sent).toEqual([true]);
    expect(t.typing).toBe(true);
  });

  it('sends true again while typing goes on, so the server does not expire it', () => {
    const { clock, sent, t } = throttle();
    for (let i = 0; i < 70; i++) {
      t.input();
      clock.advance(100); // 7 s of steady typing
    }
    expect(sent).toEqual([true, true, true]);
  });

  it('sends false once after the idle time', () => {
    const { clock, sent, t } = throttle();
    t.input();
    clock.advance(1999);
    expect(sent).toEqual([true]);
    clock.advance(1);
    expect(sent).toEqual([true, false]);
    clock.advance(10_000);
    expect(sent).toEqual([true, false]);
  });

  it('stops at once on send or blur, and only if it had started', () => {
    const { clock, sent, t } = throttle();
    t.stop();
    expect(sent).toEqual([]);
    t.input();
    t.stop();
    t.stop();
    expect(sent).toEqual([true, false]);
    expect(clock.pendingTimers).toBe(0);
    t.input();
    expect(sent).toEqual([true, false, true]);
  });
});

describe('who is typing', () => {
  it('lists others typing in the room, without me, until it expires', () => {
    let s = setTyping({}, 'r1', BOB, true, 1000);
    s = setTyping(s, 'r1', ADA, true, 1000);
    s = setTyping(s, 'r2', { id: 'u-cy', name: 'cy' }, true, 1000);
    expect(typists(s, 'r1', 2000, ADA.id).map((u) => u.name)).toEqual(['bob']);
    expect(typists(s, 'r1', 1000 + TYPING_EXPIRY_MS, ADA.id)).toEqual([]);
  });

  it('forgets a user who stopped', () => {
    const s = setTyping(setTyping({}, 'r1', BOB, true, 0), 'r1', BOB, false, 10);
    expect(typists(s, 'r1', 10, ADA.id)).toEqual([]);
    expect(setTyping(s, 'r1', BOB, false, 20)).toBe(s);
  });

  it('prunes expired entries, and changes nothing when none expired', () => {
    const s = setTyping(setTyping({}, 'r1', BOB, true, 0), 'r2', ADA, true, 5000);
    expect(pruneTyping(s, 1000)).toBe(s);
    const pruned = pruneTyping(s, TYPING_EXPIRY_MS + 1);
    expect(Object.keys(pruned)).toEqual(['r2']);
  });

  it('says it in English', () => {
    const u = (name: string) => ({ id: name, name });
    expect(typingText([])).toBe('');
    expect(typingText([u('ada')])).toBe('ada is typing…');
    expect(typingText([u('ada'), u('bob')])).toBe('ada and bob are typing…');
    expect(typingText([u('ada'), u('bob'), u('cy')])).toBe('ada, bob and cy are typing…');
    expect(typingText([u('ada'), u('bob'), u('cy'), u('di')])).toBe('ada, bob and 2 others are typing…');
  });
});
