import type { User } from '../protocol/types';

/** Time, injected so tests move a fake clock instead of sleeping. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface TypingThrottleOptions {
  /** While typing goes on, `true` is sent again this often, since the server forgets it after 5 s. */
  readonly resendMs: number;
  /** No keystroke for this long means the user stopped. */
  readonly idleMs: number;
}

export const DEFAULT_TYPING_OPTIONS: TypingThrottleOptions = { resendMs: 3000, idleMs: 3000 };

/**
 * Turns keystrokes in one room's composer into few `typing` events: `true` on the first keystroke
 * and then at most once per `resendMs`, `false` once on send, blur or `idleMs` of silence.
 */
export class TypingThrottle {
  private readonly send: (typing: boolean) => void;
  private readonly clock: Clock;
  private readonly options: TypingThrottleOptions;
  /** When `true` was last sent; undefined while not typing. */
  private sentAt: number | undefined;
  private idleTimer: unknown;

  constructor(send: (typing: boolean) => void, clock: Clock = systemClock, options = DEFAULT_TYPING_OPTIONS) {
    this.send = send;
    this.clock = clock;
    this.options = options;
  }

  get typing(): boolean {
    return this.sentAt !== undefined;
  }

  input(): void {
    const now = this.clock.now();
    if (this.sentAt === undefined || now - this.sentAt >= this.options.resendMs) {
      this.sentAt = now;
      this.send(true);
    }
    this.clearIdle();
    this.idleTimer = this.clock.setTimeout(() => this.stop(), this.options.idleMs);
  }

  stop(): void {
    this.clearIdle();
    if (this.sentAt === undefined) return;
    this.sentAt = undefined;
    this.send(false);
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) {
      this.clock.clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
  }
}

/** How long a `typing: true` lasts without news: the server's 5 s, plus a little for the network. */
export const TYPING_EXPIRY_MS = 6000;

export interface Typist {
  readonly user: User;
  readonly expiresAt: number;
}

/** Who is typing where: roomId → userId → typist. Immutable. */
export type TypingState = Readonly<Record<string, Readonly<Record<string, Typist>>>>;

export function setTyping(state: TypingState, roomId: string, user: User, typing: boolean, now: number): TypingState {
  const room = { ...(state[roomId] ?? {}) };
  if (typing) room[user.id] = { user, expiresAt: now + TYPING_EXPIRY_MS };
  else if (room[user.id]) delete room[user.id];
  else return state;
  return { ...state, [roomId]: room };
}

/** Drops entries that have expired; returns the same object when nothing changed. */
export function pruneTyping(state: TypingState, now: number): TypingState {
  let changed = false;
  const next: Record<string, Record<string, Typist>> = {};
  for (const [roomId, room] of Object.entries(state)) {
    const kept: Record<string, Typist> = {};
    for (const [userId, t] of Object.entries(room)) {
      if (t.expiresAt > now) kept[userId] = t;
      else changed = true;
    }
    if (Object.keys(kept).length > 0) next[roomId] = kept;
    else if (Object.keys(room).length > 0) changed = true;
  }
  return changed ? next : state;
}

export function typists(state: TypingState, roomId: string, now: number, meId: string | undefined): User[] {
  return Object.values(state[roomId] ?? {})
    .filter((t) => t.expiresAt > now && t.user.id !== meId)
    .map((t) => t.user)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** "ada is typing…", "ada and bob are typing…", "ada, bob and 2 others are typing…". */
export function typingText(users: readonly User[]): string {
  const names = users.map((u) => u.name);
  switch (names.length) {
    case 0:
      return '';
    case 1:
      return `${names[0]} is typing…`;
    case 2:
      return `${names[0]} and ${names[1]} are typing…`;
    case 3:
      return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
    default:
      return `${names[0]}, ${names[1]} and ${names.length - 2} others are typing…`;
  }
}
