// The /chat namespace's wire types, as documented in docs/protocol.md.

export interface User {
  readonly id: string;
  readonly name: string;
  readonly online?: boolean;
  /** In a member list: the user's role in that room. */
  readonly role?: Role;
}

export type RoomKind = 'public' | 'private' | 'dm';

/** A member's standing in a room. */
export type Role = 'owner' | 'moderator' | 'member';

export interface Room {
  readonly id: string;
  readonly name: string;
  readonly kind: RoomKind;
  readonly topic: string;
  readonly lastSeq: number;
  readonly memberCount: number;
  readonly joined?: boolean;
  readonly unread?: number;
  readonly lastReadSeq?: number;
  /** Your role in the room, when you are a member. */
  readonly role?: Role;
  /** For a DM: the other member. */
  readonly peer?: User;
}

export type MessageKind = 'text' | 'join' | 'leave';

export interface Message {
  readonly id: string;
  readonly roomId: string;
  readonly seq: number;
  readonly ts: number;
  readonly user: User;
  readonly text: string;
  readonly clientMsgId?: string;
  readonly kind: MessageKind;
}

export type ErrorCode =
  | 'invalid_argument'
  | 'too_long'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'overloaded'
  | 'rate_limited'
  | 'unavailable'
  | 'internal'
  // Client-side conditions, never sent by the server:
  | 'timeout'
  | 'disconnected';

export interface ChatError {
  readonly code: ErrorCode | (string & {});
  readonly message: string;
  /** With `rate_limited`: how long to wait before trying again. */
  readonly retryAfterMs?: number;
}

export type Result<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: ChatError };

/** Server → client events. */
export interface ServerEvents {
  /** `guestKey` only for a guest: an account signs in with its cookie or token instead. */
  session: { user: User; guestKey?: string; rooms: Room[] };
  message: Message;
  typing: { roomId: string; user: User; typing: boolean };
  presence: { user: User };
  member: { roomId: string; user: User; joined: boolean };
  room: Room;
  unread: { roomId: string; unread: number; lastReadSeq: number };
  /** A member of one of your rooms got another role. */
  role: { roomId: string; user: User; role: Role };
  /** You are no longer in the room: removed by an owner or moderator, or you left it (another tab). */
  'room:removed': { roomId: string; reason: 'kicked' | 'left' | (string & {}) };
  /** The server is stopping; the client reconnects by itself once it is back. */
  shutdown: { reason: string };
  /**
   * The credential this connection signed in with ended (`signed out`, `token revoked`,
   * `account deactivated`); the server disconnects it next, and it must not reconnect.
   */
  signed_out: { reason: string };
}

export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
}

/** Client → server requests: what each takes and what its acknowledgement carries when ok. */
export interface Requests {
  'rooms:list': { args: Record<string, never>; result: { rooms: Room[] } };
  'room:create': { args: { name: string; topic?: string; private?: boolean }; result: { room: Room } };
  'room:join': { args: { roomId: string } | { name: string }; result: { room: Room; members: User[] } };
  'room:leave': { args: { roomId: string }; result: Record<string, never> };
  'room:members': { args: { roomId: string }; result: { members: User[] } };
  'dm:open': { args: { userId: string } | { name: string }; result: { room: Room } };
  'room:invite': { args: { roomId: string; userId: string } | { roomId: string; name: string }; result: { user: User } };
  'room:kick': { args: { roomId: string; userId: string }; result: Record<string, never> };
  'room:role': { args: { roomId: string; userId: string; role: Role }; result: { user: User } };
  'message:send': {
    args: { roomId: string; text: string; clientMsgId: string };
    result: { id: string; roomId: string; seq: number; ts: number };
  };
  history: {
    args: { roomId: string; before?: number; after?: number; limit?: number };
    result: HistoryPage;
  };
  sync: { args: { rooms: Record<string, number> }; result: { rooms: Record<string, HistoryPage> } };
  read: { args: { roomId: string; seq: number }; result: { unread: number; lastReadSeq: number } };
}

export type RequestName = keyof Requests;

/** Reasons the server gives in `connect_error` for a refused connection. */
export const AUTH_ERRORS = ['invalid_name', 'name_taken', 'unauthorized'] as const;
export type AuthError = (typeof AUTH_ERRORS)[number];

export const MAX_TEXT_LENGTH = 4000;
export const MAX_NAME_LENGTH = 32;
export const MAX_ROOM_NAME_LENGTH = 40;
export const HISTORY_PAGE_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 100;
