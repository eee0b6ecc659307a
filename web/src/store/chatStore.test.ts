import { beforeEach, describe, expect, it } from 'vitest';
import type { Room } from '../protocol/types';
import { FakeClock } from '../test-support/fakeClock';
import { FakeTransport } from '../test-support/fakeTransport';
import { ADA, BOB, msg } from '../test-support/messages';
import { ChatStore } from './chatStore';
import { timelineOf } from './state';

const GENERAL: Room = { id: 'r1', name: 'general', kind: 'public', topic: '', lastSeq: 3, memberCount: 2, unread: 0, lastReadSeq: 3 };
const OTHER: Room = { id: 'r2', name: 'random', kind: 'public', topic: '', lastSeq: 0, memberCount: 2, unread: 0, lastReadSeq: 0 };

/** Lets the store's awaited promises run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('ChatStore', () => {
  let transport: FakeTransport;
  let clock: FakeClock;
  let store: ChatStore;
  let ids: number;
  const sessions: string[] = [];

  /** Connects, delivers a session in general + random, and answers general's first page. */
  async function connectAndLoad(): Promise<void> {
    store.start();
    transport.open();
    transport.emit('session', { user: ADA, guestKey: 'key-1', rooms: [GENERAL, OTHER] });
    await flush();
    transport.take('history').respond({ ok: true, messages: [msg(1), msg(2), msg(3)], hasMore: false });
    transport.take('room:members').respond({ ok: true, members: [ADA, BOB] });
    await flush();
  }

  beforeEach(() => {
    transport = new FakeTransport();
    clock = new FakeClock();
    ids = 0;
    sessions.length = 0;
    store = new ChatStore({
      transport,
      clock,
      newId: () => `c${++ids}`,
      onSession: (_user, key) => sessions.push(key ?? '(none)'),
    });
  });

  it('opens general after the session, loads its newest page and keeps the guestKey', async () => {
    await connectAndLoad();
    const s = store.getState();
    expect(sessions).toEqual(['key-1']);
    expect(s.me).toEqual(ADA);
    expect(s.activeRoomId).toBe('r1');
    expect(timelineOf(s, 'r1').messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(timelineOf(s, 'r1').loaded).toBe(true);
    expect(Object.keys(s.members.r1 ?? {})).toEqual([ADA.id, BOB.id]);
  });

  it('shows a send as pending until acknowledged, then as the stored message', async () => {
    await connectAndLoad();
    store.send('r1', 'hello');
    expect(timelineOf(store.getState(), 'r1').pending).toMatchObject([{ clientMsgId: 'c1', status: 'sending' }]);
    const req = transport.take('message:send');
    expect(req.args).toEqual({ roomId: 'r1', text: 'hello', clientMsgId: 'c1' });
    req.respond({ ok: true, id: 'm4', roomId: 'r1', seq: 4, ts: 10 });
    await flush();
    const t = timelineOf(store.getState(), 'r1');
    expect(t.pending).toEqual([]);
    expect(t.messages.at(-1)).toMatchObject({ id: 'm4', seq: 4, text: 'hello', user: ADA });
    // The broadcast of the same message changes nothing.
    transport.emit('message', msg(4, { id: 'm4', user: ADA, text: 'hello', clientMsgId: 'c1' }));
    expect(timelineOf(store.getState(), 'r1').messages).toHaveLength(4);
  });

  it('retries an overloaded send with the same clientMsgId after a back-off', async () => {
    await connectAndLoad();
    store.send('r1', 'busy?');
    transport.take('message:send').respond({ ok: false, error: { code: 'overloaded', message: 'queue full' } });
    await flush();
    expect(timelineOf(store.getState(), 'r1').pending[0]).toMatchObject({ status: 'retrying', error: { code: 'overloaded' } });
    expect(transport.pending('message:send')).toHaveLength(0);
    clock.advance(1000);
    const again = transport.take('message:send');
    expect(again.args).toMatchObject({ clientMsgId: 'c1', text: 'busy?' });
  });

  it('sends a rate-limited message again once the wait the server asked for is over', async () => {
    await connectAndLoad();
    store.send('r1', 'too fast');
    transport.take('message:send').respond({
      ok: false, error: { code: 'rate_limited', message: 'sending too fast', retryAfterMs: 250 },
    });
    await flush();
    expect(timelineOf(store.getState(), 'r1').pending[0]).toMatchObject({ status: 'retrying' });
    clock.advance(249);
    expect(transport.pending('message:send')).toHaveLength(0);
    clock.advance(1);
    expect(transport.take('message:send').args).toMatchObject({ clientMsgId: 'c1', text: 'too fast' });
  });

  it('fails a send the server rejects for good, and lets the user retry it', async () => {
    await connectAndLoad();
    store.send('r1', 'x');
    transport.take('message:send').respond({ ok: false, error: { code: 'forbidden', message: 'not a member' } });
    await flush();
    expect(timelineOf(store.getState(), 'r1').pending[0]).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    clock.advance(60_000);
    expect(transport.pending('message:send')).toHaveLength(0);
    store.retry('r1', 'c1');
    expect(transport.take('message:send').args).toMatchObject({ clientMsgId: 'c1' });
  });

  it('resends unacknowledged messages with their ids after a reconnection, then catches up', async () => {
    await connectAndLoad();
    store.send('r1', 'first');
    transport.drop();
    await flush();
    expect(store.getState().connection.status).toBe('reconnecting');
    store.send('r1', 'second'); // written while offline
    expect(timelineOf(store.getState(), 'r1').pending.map((p) => p.status)).toEqual(['waiting', 'waiting']);

    transport.open(false);
    transport.emit('session', { user: ADA, guestKey: 'key-1', rooms: [{ ...GENERAL, lastSeq: 6 }, OTHER] });
    await flush();
    expect(transport.pending('message:send').map((r) => (r.args as { clientMsgId: string }).clientMsgId)).toEqual(['c1', 'c2']);
    const sync = transport.take('sync');
    expect(sync.args).toEqual({ rooms: { r1: 3 } });
    sync.respond({ ok: true, rooms: { r1: { messages: [msg(4), msg(5), msg(6)], hasMore: false } } });
    await flush();
    expect(timelineOf(store.getState(), 'r1').messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(store.getState().connection.status).toBe('connected');
  });

  it('says the server is restarting between its shutdown event and the next connection', async () => {
    await connectAndLoad();
    transport.emit('shutdown', { reason: 'server shutting down' });
    transport.drop();
    await flush();
    expect(store.getState().connection).toMatchObject({ status: 'reconnecting', serverStopping: true });

    transport.open(true);
    await flush();
    expect(store.getState().connection).toMatchObject({ status: 'connected', serverStopping: false });
  });

  it('pages on with history after a sync that says there is more', async () => {
    await connectAndLoad();
    transport.drop();
    transport.open(true); // recovered: no session, catch-up starts at once
    await flush();
    transport.take('sync').respond({ ok: true, rooms: { r1: { messages: [msg(4)], hasMore: true } } });
    await flush();
    const page = transport.take('history');
    expect(page.args).toEqual({ roomId: 'r1', after: 4, limit: 100 });
    page.respond({ ok: true, messages: [msg(5)], hasMore: false });
    await flush();
    expect(timelineOf(store.getState(), 'r1').messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('fills a gap seen in live messages with history after the last seq held', async () => {
    await connectAndLoad();
    transport.emit('message', msg(6));
    await flush();
    const fill = transport.take('history');
    expect(fill.args).toEqual({ roomId: 'r1', after: 3, limit: 2 });
    fill.respond({ ok: true, messages: [msg(4), msg(5), msg(6)], hasMore: false });
    await flush();
    expect(timelineOf(store.getState(), 'r1').messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(transport.pending('history')).toHaveLength(0);
  });

  it('reports a gap the server cannot fill instead of asking forever', async () => {
    await connectAndLoad();
    transport.emit('message', msg(5));
    await flush();
    transport.take('history').respond({ ok: true, messages: [msg(5)], hasMore: false });
    await flush();
    const s = store.getState();
    expect(timelineOf(s, 'r1').missing).toEqual([{ from: 4, to: 4 }]);
    expect(s.notices.map((n) => n.text)).toEqual(['Some messages (4–4) could not be loaded.']);
    expect(transport.pending('history')).toHaveLength(0);
  });

  it('counts unread messages in rooms other than the one being read', async () => {
    await connectAndLoad();
    transport.emit('message', msg(1, { roomId: 'r2', id: 'x1' }));
    transport.emit('message', msg(2, { roomId: 'r2', id: 'x2' }));
    transport.emit('message', msg(2, { roomId: 'r2', id: 'x2' })); // a duplicate delivery
    transport.emit('message', msg(3, { roomId: 'r2', id: 'x3', user: ADA }));
    expect(store.getState().rooms.r2?.unread).toBe(0); // writing there read it
    transport.emit('message', msg(4, { roomId: 'r2', id: 'x4' }));
    expect(store.getState().rooms.r2).toMatchObject({ unread: 1, lastReadSeq: 3, lastSeq: 4 });
    transport.emit('unread', { roomId: 'r2', unread: 0, lastReadSeq: 4 });
    expect(store.getState().rooms.r2?.unread).toBe(0);
  });

  it('marks the open room read up to the newest message', async () => {
    await connectAndLoad();
    transport.emit('message', msg(4));
    expect(store.getState().rooms.r1?.unread).toBe(1);
    void store.markRead('r1');
    expect(store.getState().rooms.r1?.unread).toBe(0);
    const read = transport.take('read');
    expect(read.args).toEqual({ roomId: 'r1', seq: 4 });
  });

  it('shows who is typing, and forgets them when their message arrives', async () => {
    await connectAndLoad();
    transport.emit('typing', { roomId: 'r1', user: BOB, typing: true });
    expect(Object.keys(store.getState().typing.r1 ?? {})).toEqual([BOB.id]);
    transport.emit('message', msg(4));
    expect(Object.keys(store.getState().typing.r1 ?? {})).toEqual([]);
  });

  it('sends typing through the throttle and stops it on send', async () => {
    await connectAndLoad();
    store.typingInput('r1');
    store.typingInput('r1');
    store.send('r1', 'done');
    expect(transport.typingSent).toEqual([
      { roomId: 'r1', typing: true },
      { roomId: 'r1', typing: false },
    ]);
  });

  it('keeps the member list, presence and member count in step with events', async () => {
    await connectAndLoad();
    const cy = { id: 'u-cy', name: 'cy', online: true };
    transport.emit('member', { roomId: 'r1', user: cy, joined: true });
    transport.emit('member', { roomId: 'r1', user: cy, joined: true }); // told twice
    let s = store.getState();
    expect(Object.keys(s.members.r1 ?? {})).toEqual([ADA.id, BOB.id, cy.id]);
    expect(s.rooms.r1?.room.memberCount).toBe(3);
    transport.emit('presence', { user: { ...cy, online: false } });
    expect(store.getState().presence[cy.id]).toBe(false);
    transport.emit('member', { roomId: 'r1', user: cy, joined: false });
    s = store.getState();
    expect(Object.keys(s.members.r1 ?? {})).toEqual([ADA.id, BOB.id]);
    expect(s.rooms.r1?.room.memberCount).toBe(2);
  });

  describe('private rooms and roles', () => {
    const PLANS: Room = { id: 'r3', name: 'plans', kind: 'private', topic: '', lastSeq: 0, memberCount: 1, unread: 0, lastReadSeq: 0, role: 'owner' };

    it('creates a private room and opens it', async () => {
      await connectAndLoad();
      const done = store.createRoom('plans', '', true);
      const req = transport.take('room:create');
      expect(req.args).toEqual({ name: 'plans', private: true });
      req.respond({ ok: true, room: PLANS });
      expect(await done).toBeUndefined();
      const s = store.getState();
      expect(s.activeRoomId).toBe('r3');
      expect(s.rooms.r3?.room).toMatchObject({ kind: 'private', role: 'owner' });
    });

    it('asks for a public room unless told otherwise', async () => {
      await connectAndLoad();
      void store.createRoom('lounge', 'sofas');
      expect(transport.take('room:create').args).toEqual({ name: 'lounge', topic: 'sofas' });
    });

    it('invites by name and answers the error when there is nobody by that name', async () => {
      await connectAndLoad();
      const invited = store.invite('r1', 'cy');
      const req = transport.take('room:invite');
      expect(req.args).toEqual({ roomId: 'r1', name: 'cy' });
      req.respond({ ok: false, error: { code: 'not_found', message: 'no such user' } });
      expect(await invited).toMatchObject({ code: 'not_found' });
    });

    it('drops a room it was removed from, says so, and opens another', async () => {
      await connectAndLoad();
      transport.emit('room', PLANS);
      store.selectRoom('r3');
      transport.take('history').respond({ ok: true, messages: [], hasMore: false });
      transport.take('room:members').respond({ ok: true, members: [{ ...ADA, role: 'owner' }] });
      await flush();
      transport.emit('typing', { roomId: 'r3', user: BOB, typing: true });

      transport.emit('room:removed', { roomId: 'r3', reason: 'kicked' });

      const s = store.getState();
      expect(s.rooms.r3).toBeUndefined();
      expect(s.members.r3).toBeUndefined();
      expect(s.typing.r3).toBeUndefined();
      expect(s.activeRoomId).toBe('r1');
      expect(s.notices.map((n) => n.text)).toEqual(['You were removed from plans.']);
    });

    it('drops a room left in another tab without a notice, and ignores rooms it does not hold', async () => {
      await connectAndLoad();
      transport.emit('room:removed', { roomId: 'r2', reason: 'left' });
      transport.emit('room:removed', { roomId: 'r9', reason: 'kicked' });
      const s = store.getState();
      expect(Object.keys(s.rooms)).toEqual(['r1']);
      expect(s.notices).toEqual([]);
    });

    it('keeps roles in step: in the member list, and its own in the room', async () => {
      await connectAndLoad();
      transport.emit('role', { roomId: 'r1', user: BOB, role: 'moderator' });
      expect(store.getState().members.r1?.[BOB.id]?.role).toBe('moderator');
      transport.emit('role', { roomId: 'r1', user: ADA, role: 'owner' });
      expect(store.getState().rooms.r1?.room.role).toBe('owner');
      expect(store.getState().members.r1?.[ADA.id]?.role).toBe('owner');
    });

    it('removes a member through the server, and reports a refusal', async () => {
      await connectAndLoad();
      void store.kick('r1', BOB.id);
      const req = transport.take('room:kick');
      expect(req.args).toEqual({ roomId: 'r1', userId: BOB.id });
      req.respond({ ok: false, error: { code: 'forbidden', message: 'you cannot remove that member' } });
      await flush();
      expect(store.getState().notices.map((n) => n.text)).toEqual(['Could not remove the member: you cannot remove that member']);
    });
  });

  it('closes for good when the server says the sign-in ended, and does not reconnect', async () => {
    await connectAndLoad();
    store.typingInput('r1');
    transport.emit('signed_out', { reason: 'signed out' });
    expect(transport.closes).toBe(1);
    expect(store.getState().connection).toMatchObject({ status: 'signed_out', signedOut: 'signed out' });

    transport.drop('io server disconnect'); // the server's disconnect that follows
    clock.advance(60_000);
    expect(store.getState().connection.status).toBe('signed_out');
    expect(transport.connects).toBe(1);
    expect(transport.typingSent).toEqual([{ roomId: 'r1', typing: true }]); // no "stopped typing" over a closed line
  });

  it('passes on an account\'s session, which has no guestKey', async () => {
    store.start();
    transport.open();
    transport.emit('session', { user: ADA, rooms: [GENERAL] });
    expect(sessions).toEqual(['(none)']);
    expect(store.getState().me).toEqual(ADA);
  });

  it('reports a refused name', () => {
    store.start();
    transport.refuse('name_taken');
    expect(store.getState().connection).toMatchObject({ status: 'refused', refusal: 'name_taken' });
  });
});
