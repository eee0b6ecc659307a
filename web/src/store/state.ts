import type { Room, User } from '../protocol/types';
import { EMPTY_TIMELINE, type Timeline } from './timeline';
import type { TypingState } from './typing';
import type { ReadState } from './unread';

/**
 * connecting: first connection under way; connected; reconnecting: the connection dropped and the
 * client is retrying; refused: the server turned the name down (see `refusal`); signed_out: the
 * sign-in ended (see `signedOut`) and the connection is closed for good; closed: stopped.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'signed_out' | 'closed';

export interface Connection {
  readonly status: ConnectionStatus;
  /** Reconnection attempts since the last successful connection. */
  readonly attempt: number;
  readonly lastError: string | undefined;
  /** The `connect_error` reason when the server refused the connection. */
  readonly refusal: string | undefined;
  /** The server said it is stopping (a restart, most likely); cleared once connected again. */
  readonly serverStopping?: boolean;
  /** The reason of the server's `signed_out` event. */
  readonly signedOut?: string;
}

/** A room the user is in, with where they are in it. */
export interface RoomState extends ReadState {
  readonly room: Room;
}

export interface Notice {
  readonly id: number;
  readonly text: string;
}

export interface ChatState {
  readonly connection: Connection;
  readonly me: User | undefined;
  readonly rooms: Readonly<Record<string, RoomState>>;
  readonly activeRoomId: string | undefined;
  readonly timelines: Readonly<Record<string, Timeline>>;
  readonly loadingOlder: Readonly<Record<string, boolean>>;
  /** roomId → userId → member, for the rooms whose member list was fetched. */
  readonly members: Readonly<Record<string, Readonly<Record<string, User>>>>;
  /** userId → online, from member lists and `presence` events. */
  readonly presence: Readonly<Record<string, boolean>>;
  readonly typing: TypingState;
  readonly notices: readonly Notice[];
}

export const INITIAL_STATE: ChatState = {
  connection: { status: 'connecting', attempt: 0, lastError: undefined, refusal: undefined },
  me: undefined,
  rooms: {},
  activeRoomId: undefined,
  timelines: {},
  loadingOlder: {},
  members: {},
  presence: {},
  typing: {},
  notices: [],
};

export function timelineOf(state: ChatState, roomId: string): Timeline {
  return state.timelines[roomId] ?? EMPTY_TIMELINE;
}

export function isOnline(state: ChatState, user: User): boolean {
  return state.presence[user.id] ?? user.online ?? false;
}

/** How a room is named to the user: "general", or the other person's name for a DM. */
export function roomTitle(room: Room): string {
  return room.kind === 'dm' ? (room.peer?.name ?? room.name) : room.name;
}

/** How a room is referred to in labels: "#general", a private room's name, the DM peer's name. */
export function roomLabel(room: Room): string {
  return room.kind === 'public' ? `#${room.name}` : roomTitle(room);
}

export const GENERAL_ROOM = 'general';

/** Public and private rooms by name (general first), then DMs by the peer's name. */
export function sidebarRooms(state: ChatState): { channels: RoomState[]; dms: RoomState[] } {
  const all = Object.values(state.rooms);
  const byTitle = (a: RoomState, b: RoomState): number => roomTitle(a.room).localeCompare(roomTitle(b.room));
  const channels = all
    .filter((r) => r.room.kind !== 'dm')
    .sort((a, b) => Number(b.room.name === GENERAL_ROOM) - Number(a.room.name === GENERAL_ROOM) || byTitle(a, b));
  const dms = all.filter((r) => r.room.kind === 'dm').sort(byTitle);
  return { channels, dms };
}

export function totalUnread(state: ChatState): number {
  return Object.values(state.rooms).reduce((n, r) => n + r.unread, 0);
}

/** The room to show when none is chosen or the chosen one is gone. */
export function defaultRoomId(rooms: Readonly<Record<string, RoomState>>): string | undefined {
  const all = Object.values(rooms);
  return (all.find((r) => r.room.name === GENERAL_ROOM && r.room.kind === 'public') ?? all[0])?.room.id;
}
