import type { Message, User } from '../protocol/types';

export const ADA: User = { id: 'u-ada', name: 'ada' };
export const BOB: User = { id: 'u-bob', name: 'bob' };

let clock = 1_700_000_000_000;

/** A text message in room r1 with the given seq; ids follow the seq unless overridden. */
export function msg(seq: number, over: Partial<Message> = {}): Message {
  return { id: `m${seq}`, roomId: 'r1', seq, ts: (clock += 1000), user: BOB, text: `text ${seq}`, kind: 'text', ...over };
}
