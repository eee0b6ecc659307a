import type { Transport } from '../protocol/transport';
import type { Message } from '../protocol/types';
import { HISTORY_PAGE_LIMIT, MAX_HISTORY_LIMIT } from '../protocol/types';
import { type Timeline, findGaps, lastSeq, markMissing, resetToPage } from './timeline';

/** What catching up needs from the store that holds the timelines. */
export interface CatchUpHost {
  readonly transport: Transport;
  timeline(roomId: string): Timeline;
  /** The rooms the user is in. */
  roomIds(): string[];
  apply(roomId: string, messages: readonly Message[]): void;
  setTimeline(roomId: string, t: Timeline): void;
  notice(text: string): void;
}

/** A catch-up longer than this many pages is dropped in favour of the newest page. */
const MAX_CATCH_UP_PAGES = 10;
const MAX_GAP_FILLS = 20;

/** Fetches what the client missed: after a reconnection (`sync`) and for holes in a room's seqs. */
export class CatchUp {
  private readonly host: CatchUpHost;
  /** Rooms with a gap fill running. */
  private readonly filling = new Set<string>();

  constructor(host: CatchUpHost) {
    this.host = host;
  }

  /** Asks for everything after the last seq held, in every room whose newest page is loaded. */
  async sync(): Promise<void> {
    const since: Record<string, number> = {};
    for (const id of this.host.roomIds()) {
      const t = this.host.timeline(id);
      if (t.loaded) since[id] = lastSeq(t);
    }
    if (Object.keys(since).length === 0) return;
    const res = await this.host.transport.request('sync', { rooms: since });
    if (!res.ok) {
      // Room by room through history instead: slower, same result.
      await Promise.all(Object.keys(since).map((id) => this.pageForward(id)));
      return;
    }
    await Promise.all(
      Object.entries(res.rooms).map(async ([roomId, page]) => {
        this.host.apply(roomId, page.messages);
        if (page.hasMore) await this.pageForward(roomId);
      }),
    );
  }

  async pageForward(roomId: string): Promise<void> {
    const { transport } = this.host;
    for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
      const after = lastSeq(this.host.timeline(roomId));
      const res = await transport.request('history', { roomId, after, limit: MAX_HISTORY_LIMIT });
      if (!res.ok) return;
      this.host.apply(roomId, res.messages);
      if (!res.hasMore || res.messages.length === 0) return;
    }
    // Too much was missed to show it all: start again from the newest page; scrolling up pages back.
    const res = await transport.request('history', { roomId, limit: HISTORY_PAGE_LIMIT });
    if (res.ok) this.host.setTimeline(roomId, resetToPage(this.host.timeline(roomId), res.messages, res.hasMore));
  }

  /** Fills the holes between held messages with `history after`; marks the ones that stay empty. */
  async fillGaps(roomId: string): Promise<void> {
    if (this.filling.has(roomId)) return;
    this.filling.add(roomId);
    try {
      for (let i = 0; i < MAX_GAP_FILLS; i++) {
        const gap = findGaps(this.host.timeline(roomId))[0];
        if (!gap) return;
        const limit = Math.min(MAX_HISTORY_LIMIT, gap.to - gap.from + 1);
        const res = await this.host.transport.request('history', { roomId, after: gap.from - 1, limit });
        if (!res.ok) return; // tried again at the next catch-up
        this.host.apply(roomId, res.messages);
        if (!res.messages.some((m) => m.seq >= gap.from && m.seq <= gap.to)) {
          this.host.setTimeline(roomId, markMissing(this.host.timeline(roomId), gap));
          this.host.notice(`Some messages (${gap.from}–${gap.to}) could not be loaded.`);
        }
      }
    } finally {
      this.filling.delete(roomId);
    }
  }
}
