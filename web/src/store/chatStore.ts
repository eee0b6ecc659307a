import type { ConnectionEvent, Transport, Unsubscribe } from '../protocol/transport';
import type { ChatError, Message, Requests, Result, Room, ServerEvents, User } from '../protocol/types';
import { HISTORY_PAGE_LIMIT, MAX_TEXT_LENGTH } from '../protocol/types';
import { CatchUp } from './catchUp';
import { Outbox } from './outbox';
import {
  type ChatState,
  type Connection,
  type RoomState,
  INITIAL_STATE,
  defaultRoomId,
  roomLabel,
  timelineOf,
} from './state';
import {
  type PendingMessage,
  type Timeline,
  addPending,
  findGaps,
  firstSeq,
  lastSeq,
  mergeMessages,
  messageFromAck,
  removePending,
  updatePending,
} from './timeline';
import { type Clock, TypingThrottle, pruneTyping, setTyping, systemClock } from './typing';
import { applyIncoming, markReadUpTo } from './unread';

export interface ChatStoreOptions {
  readonly transport: Transport;
  readonly clock?: Clock;
  /** Makes each send's clientMsgId. */
  readonly newId?: () => string;
  /** Called with each `session`, so a guest's guestKey can be kept for the next visit. */
  readonly onSession?: (user: User, guestKey: string | undefined) => void;
}

const NOTICE_MS = 8000;

/**
 * The client's whole view of the chat: it turns server events and user actions into a new
 * immutable ChatState and tells subscribers. All methods run on the browser's one thread.
 */
export class ChatStore {
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly onSession: (user: User, guestKey: string | undefined) => void;
  private state: ChatState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions: Unsubscribe[] = [];
  private readonly throttles = new Map<string, TypingThrottle>();
  private readonly outbox: Outbox;
  private readonly catchUp: CatchUp;
  /** Rooms with a newest-page load or a read request running. */
  private readonly loadingNewest = new Set<string>();
  private readonly reading = new Set<string>();
  private typingTimer: unknown;
  private noticeSeq = 0;

  constructor(options: ChatStoreOptions) {
    this.transport = options.transport;
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.onSession = options.onSession ?? (() => {});
    this.outbox = new Outbox({
      transport: this.transport,
      clock: this.clock,
      find: (roomId, id) => timelineOf(this.state, roomId).pending.find((p) => p.clientMsgId === id),
      all: () => Object.values(this.state.timelines).flatMap((t) => t.pending),
      patch: (p, patch) => this.setTimeline(p.roomId, updatePending(timelineOf(this.state, p.roomId), p.clientMsgId, patch)),
      confirm: (p, ack) => {
        const me = this.state.me;
        if (me) this.applyMessages(p.roomId, [messageFromAck(p, ack, me)]);
        else this.setTimeline(p.roomId, removePending(timelineOf(this.state, p.roomId), p.clientMsgId));
      },
    });
    this.catchUp = new CatchUp({
      transport: this.transport,
      timeline: (roomId) => timelineOf(this.state, roomId),
      roomIds: () => Object.keys(this.state.rooms),
      apply: (roomId, messages) => this.applyMessages(roomId, messages),
      setTimeline: (roomId, t) => this.setTimeline(roomId, t),
      notice: (text) => this.notice(text),
    });
  }

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): Unsubscribe => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  start(): void {
    const t = this.transport;
    this.subscriptions.push(
      t.onConnection((e) => this.onConnection(e)),
      t.on('session', (p) => this.onSessionEvent(p)),
      t.on('message', (m) => this.onMessage(m)),
      t.on('typing', (p) => this.onTyping(p)),
      t.on('presence', (p) => this.onPresence(p)),
      t.on('member', (p) => this.onMember(p)),
      t.on('room', (r) => this.upsertRoom(r)),
      t.on('unread', (p) => this.onUnread(p)),
      t.on('role', (p) => this.onRole(p)),
      t.on('room:removed', (p) => this.onRemoved(p)),
      t.on('shutdown', () => this.setConnection({ serverStopping: true })),
      t.on('signed_out', (p) => this.onSignedOut(p)),
    );
    t.connect();
  }

  stop(): void {
    this.subscriptions.splice(0).forEach((u) => u());
    this.outbox.stop();
    if (this.typingTimer !== undefined) this.clock.clearTimeout(this.typingTimer);
    this.transport.close();
    this.setConnection({ status: 'closed' });
  }

  // ---- user actions

  selectRoom(roomId: string): void {
    if (!this.state.rooms[roomId]) return;
    this.set({ activeRoomId: roomId });
    void this.loadNewest(roomId);
    if (!this.state.members[roomId]) void this.loadMembers(roomId);
  }

  /** Queues a message; it shows as pending until the server has stored it. */
  send(roomId: string, text: string): void {
    if (text.trim() === '' || text.length > MAX_TEXT_LENGTH) return;
    this.throttle(roomId).stop();
    const p: PendingMessage = {
      clientMsgId: this.newId(),
      roomId,
      text,
      createdAt: this.clock.now(),
      status: this.transport.connected ? 'sending' : 'waiting',
      attempts: 0,
    };
    this.setTimeline(roomId, addPending(timelineOf(this.state, roomId), p));
    void this.outbox.deliver(roomId, p.clientMsgId);
  }

  retry(roomId: string, clientMsgId: string): void {
    this.setTimeline(roomId, updatePending(timelineOf(this.state, roomId), clientMsgId, { attempts: 0 }));
    void this.outbox.deliver(roomId, clientMsgId);
  }

  discard(roomId: string, clientMsgId: string): void {
    this.outbox.cancelRetry(clientMsgId);
    this.setTimeline(roomId, removePending(timelineOf(this.state, roomId), clientMsgId));
  }

  typingInput(roomId: string): void {
    this.throttle(roomId).input();
  }

  typingStop(roomId: string): void {
    this.throttles.get(roomId)?.stop();
  }

  async loadOlder(roomId: string): Promise<void> {
    const t = timelineOf(this.state, roomId);
    if (!t.loaded || !t.hasMoreBefore || this.state.loadingOlder[roomId]) return;
    this.set({ loadingOlder: { ...this.state.loadingOlder, [roomId]: true } });
    const res = await this.transport.request('history', { roomId, before: firstSeq(t), limit: HISTORY_PAGE_LIMIT });
    this.set({ loadingOlder: { ...this.state.loadingOlder, [roomId]: false } });
    if (!res.ok) return this.fail('Could not load earlier messages', res.error);
    const merged = mergeMessages(timelineOf(this.state, roomId), res.messages).timeline;
    this.setTimeline(roomId, { ...merged, hasMoreBefore: res.hasMore && res.messages.length > 0 });
  }

  /** Marks the room read up to the newest message held (the user is looking at it). */
  async markRead(roomId: string): Promise<void> {
    const rs = this.state.rooms[roomId];
    const seq = lastSeq(timelineOf(this.state, roomId));
    if (!rs || seq <= rs.lastReadSeq || this.reading.has(roomId) || !this.transport.connected) return;
    this.reading.add(roomId);
    this.setRoom(roomId, (r) => ({ ...r, ...markReadUpTo(r, seq, timelineOf(this.state, roomId).messages, this.state.me?.id) }));
    const res = await this.transport.request('read', { roomId, seq });
    this.reading.delete(roomId);
    if (res.ok) this.onUnread({ roomId, unread: res.unread, lastReadSeq: res.lastReadSeq });
  }

  listRooms(): Promise<Result<Requests['rooms:list']['result']>> {
    return this.transport.request('rooms:list', {});
  }

  async createRoom(name: string, topic: string, isPrivate = false): Promise<ChatError | undefined> {
    const res = await this.transport.request('room:create', {
      name,
      ...(topic ? { topic } : {}),
      ...(isPrivate ? { private: true } : {}),
    });
    if (!res.ok) return res.error;
    this.upsertRoom(res.room);
    this.selectRoom(res.room.id);
    return undefined;
  }

  async joinRoom(roomId: string): Promise<ChatError | undefined> {
    const res = await this.transport.request('room:join', { roomId });
    if (!res.ok) return res.error;
    this.upsertRoom(res.room);
    this.setMembers(res.room.id, res.members);
    this.selectRoom(res.room.id);
    return undefined;
  }

  async leaveRoom(roomId: string): Promise<void> {
    const res = await this.transport.request('room:leave', { roomId });
    if (!res.ok) return this.fail('Could not leave the room', res.error);
    this.removeRoom(roomId);
  }

  async openDm(userId: string): Promise<void> {
    const res = await this.transport.request('dm:open', { userId });
    if (!res.ok) return this.fail('Could not open the conversation', res.error);
    this.upsertRoom(res.room);
    this.selectRoom(res.room.id);
  }

  /** Adds a user to the room by name (owners and moderators); the `member` event shows them. */
  async invite(roomId: string, name: string): Promise<ChatError | undefined> {
    const res = await this.transport.request('room:invite', { roomId, name });
    return res.ok ? undefined : res.error;
  }

  /** Removes a member from the room (owners and moderators); the `member` event shows it. */
  async kick(roomId: string, userId: string): Promise<void> {
    const res = await this.transport.request('room:kick', { roomId, userId });
    if (!res.ok) this.fail('Could not remove the member', res.error);
  }

  async loadMembers(roomId: string): Promise<void> {
    const res = await this.transport.request('room:members', { roomId });
    if (res.ok) this.setMembers(roomId, res.members);
  }

  dismissNotice(id: number): void {
    this.set({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  // ---- connection and server events

  private onConnection(e: ConnectionEvent): void {
    if (this.state.connection.status === 'signed_out') return; // closed for good
    switch (e.type) {
      case 'connected':
        this.setConnection({
          status: 'connected', attempt: 0, lastError: undefined, refusal: undefined, serverStopping: false,
        });
        // A recovered connection gets no `session`: the server replays what was missed, and a
        // catch-up from the last seqs makes sure of it. Otherwise `session` starts the catch-up.
        if (e.recovered) void this.catchUp.sync();
        this.outbox.flush();
        break;
      case 'disconnected':
        this.throttles.forEach((t) => t.stop());
        this.throttles.clear();
        this.set({ typing: {} });
        this.setConnection({ status: e.reason === 'io client disconnect' ? 'closed' : 'reconnecting' });
        break;
      case 'reconnecting':
        this.setConnection({ status: 'reconnecting', attempt: e.attempt });
        break;
      case 'connect_error':
        this.setConnection(
          e.fatal ? { status: 'refused', refusal: e.message, lastError: e.message } : { lastError: e.message },
        );
        break;
    }
  }

  /**
   * The sign-in this connection used has ended (signed out elsewhere, password changed, account
   * deactivated). The server disconnects next; reconnecting would only be refused, or come back
   * as somebody else, so the connection is closed for good and the app decides what follows.
   */
  private onSignedOut({ reason }: ServerEvents['signed_out']): void {
    this.outbox.stop();
    this.transport.close();
    this.throttles.forEach((t) => t.stop());
    this.throttles.clear();
    this.set({ typing: {} });
    this.setConnection({ status: 'signed_out', signedOut: typeof reason === 'string' ? reason : 'signed out' });
  }

  private onSessionEvent({ user, guestKey, rooms }: ServerEvents['session']): void {
    this.onSession(user, guestKey);
    const next: Record<string, RoomState> = {};
    for (const r of rooms) {
      next[r.id] = { room: r, unread: r.unread ?? 0, lastReadSeq: r.lastReadSeq ?? 0, lastSeq: r.lastSeq };
    }
    const active = this.state.activeRoomId && next[this.state.activeRoomId] ? this.state.activeRoomId : defaultRoomId(next);
    this.set({ me: user, rooms: next, activeRoomId: active });
    void this.catchUp.sync();
    this.outbox.flush();
    if (active) {
      void this.loadNewest(active);
      void this.loadMembers(active);
    }
  }

  private onMessage(m: Message): void {
    // Kept even before the room itself is known (a new DM's `room` event may come second).
    this.applyMessages(m.roomId, [m]);
  }

  private onTyping({ roomId, user, typing }: ServerEvents['typing']): void {
    if (user.id === this.state.me?.id) return;
    this.set({ typing: setTyping(this.state.typing, roomId, user, typing, this.clock.now()) });
    this.scheduleTypingPrune();
  }

  private onPresence({ user }: ServerEvents['presence']): void {
    this.set({ presence: { ...this.state.presence, [user.id]: user.online ?? false } });
  }

  private onMember({ roomId, user, joined }: ServerEvents['member']): void {
    const members = this.state.members[roomId];
    // Without a member list the event itself is the change; with one, only a real change counts.
    const changed = !members || Boolean(members[user.id]) !== joined;
    if (members && changed) {
      const next = { ...members };
      if (joined) next[user.id] = user;
      else delete next[user.id];
      this.set({ members: { ...this.state.members, [roomId]: next } });
    }
    if (changed) {
      this.setRoom(roomId, (r) => ({ ...r, room: { ...r.room, memberCount: Math.max(0, r.room.memberCount + (joined ? 1 : -1)) } }));
    }
    if (user.online !== undefined) this.onPresence({ user });
  }

  private onRole({ roomId, user, role }: ServerEvents['role']): void {
    const members = this.state.members[roomId];
    if (members?.[user.id]) {
      this.set({ members: { ...this.state.members, [roomId]: { ...members, [user.id]: { ...members[user.id]!, role } } } });
    }
    if (user.id === this.state.me?.id) this.setRoom(roomId, (r) => ({ ...r, room: { ...r.room, role } }));
  }

  /** Out of a room: by a moderator or owner, or by leaving it in another tab. */
  private onRemoved({ roomId, reason }: ServerEvents['room:removed']): void {
    const rs = this.state.rooms[roomId];
    if (!rs) return;
    this.throttles.get(roomId)?.stop();
    this.throttles.delete(roomId);
    const typing = { ...this.state.typing };
    delete typing[roomId];
    this.set({ typing });
    this.removeRoom(roomId);
    if (reason !== 'left') this.notice(`You were removed from ${roomLabel(rs.room)}.`);
  }

  private onUnread({ roomId, unread, lastReadSeq }: ServerEvents['unread']): void {
    this.setRoom(roomId, (r) =>
      lastReadSeq < r.lastReadSeq ? r : { ...r, unread, lastReadSeq, lastSeq: Math.max(r.lastSeq, lastReadSeq) },
    );
  }

  // ---- messages

  private applyMessages(roomId: string, messages: readonly Message[]): void {
    const { timeline, added } = mergeMessages(timelineOf(this.state, roomId), messages);
    if (added.length === 0) return;
    const rs = this.state.rooms[roomId];
    let typing = this.state.typing;
    for (const m of added) typing = setTyping(typing, roomId, m.user, false, 0);
    this.set({
      timelines: { ...this.state.timelines, [roomId]: timeline },
      typing,
      ...(rs
        ? { rooms: { ...this.state.rooms, [roomId]: added.reduce((r, m) => ({ ...r, ...applyIncoming(r, m, this.state.me?.id) }), rs) } }
        : {}),
    });
    if (timeline.loaded && findGaps(timeline).length > 0) void this.catchUp.fillGaps(roomId);
  }

  private async loadNewest(roomId: string): Promise<void> {
    if (timelineOf(this.state, roomId).loaded || this.loadingNewest.has(roomId)) return;
    this.loadingNewest.add(roomId);
    const res = await this.transport.request('history', { roomId, limit: HISTORY_PAGE_LIMIT });
    this.loadingNewest.delete(roomId);
    if (!res.ok) return this.fail('Could not load messages', res.error);
    const { timeline } = mergeMessages(timelineOf(this.state, roomId), res.messages);
    const loaded: Timeline = { ...timeline, loaded: true, hasMoreBefore: res.hasMore };
    this.setTimeline(roomId, loaded);
    if (findGaps(loaded).length > 0) void this.catchUp.fillGaps(roomId);
  }

  private throttle(roomId: string): TypingThrottle {
    let t = this.throttles.get(roomId);
    if (!t) {
      t = new TypingThrottle((typing) => {
        if (this.transport.connected) this.transport.sendTyping(roomId, typing);
      }, this.clock);
      this.throttles.set(roomId, t);
    }
    return t;
  }

  private scheduleTypingPrune(): void {
    if (this.typingTimer !== undefined) return;
    this.typingTimer = this.clock.setTimeout(() => {
      this.typingTimer = undefined;
      const pruned = pruneTyping(this.state.typing, this.clock.now());
      if (pruned !== this.state.typing) this.set({ typing: pruned });
      if (Object.keys(pruned).length > 0) this.scheduleTypingPrune();
    }, 1000);
  }

  // ---- rooms and members

  private upsertRoom(room: Room): void {
    const old = this.state.rooms[room.id];
    const next: RoomState = old
      ? { ...old, room, ...(room.unread !== undefined ? { unread: room.unread } : {}) }
      : { room, unread: room.unread ?? 0, lastReadSeq: room.lastReadSeq ?? 0, lastSeq: room.lastSeq };
    this.set({ rooms: { ...this.state.rooms, [room.id]: next } });
  }

  private removeRoom(roomId: string): void {
    const rooms = { ...this.state.rooms };
    delete rooms[roomId];
    const timelines = { ...this.state.timelines };
    delete timelines[roomId];
    const members = { ...this.state.members };
    delete members[roomId];
    const activeRoomId = this.state.activeRoomId === roomId ? defaultRoomId(rooms) : this.state.activeRoomId;
    this.set({ rooms, timelines, members, activeRoomId });
    if (activeRoomId) this.selectRoom(activeRoomId);
  }

  private setMembers(roomId: string, list: readonly User[]): void {
    const byId: Record<string, User> = {};
    const presence = { ...this.state.presence };
    for (const u of list) {
      byId[u.id] = u;
      if (u.online !== undefined) presence[u.id] = u.online;
    }
    this.set({ members: { ...this.state.members, [roomId]: byId }, presence });
    this.setRoom(roomId, (r) => ({ ...r, room: { ...r.room, memberCount: list.length } }));
  }

  // ---- state plumbing

  private fail(what: string, error: ChatError): void {
    if (error.code === 'disconnected') return; // the banner already says so
    this.notice(`${what}: ${error.message || error.code}`);
  }

  private notice(text: string): void {
    const id = ++this.noticeSeq;
    this.set({ notices: [...this.state.notices, { id, text }].slice(-4) });
    this.clock.setTimeout(() => this.dismissNotice(id), NOTICE_MS);
  }

  private setTimeline(roomId: string, t: Timeline): void {
    if (this.state.timelines[roomId] === t) return;
    this.set({ timelines: { ...this.state.timelines, [roomId]: t } });
  }

  private setRoom(roomId: string, f: (r: RoomState) => RoomState): void {
    const r = this.state.rooms[roomId];
    if (r) this.set({ rooms: { ...this.state.rooms, [roomId]: f(r) } });
  }

  private setConnection(patch: Partial<Connection>): void {
    this.set({ connection: { ...this.state.connection, ...patch } });
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }
}
