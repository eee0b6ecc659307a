import type { Transport } from '../protocol/transport';
import type { PendingMessage } from './timeline';
import type { Clock } from './typing';

/** What the outbox needs from the store that holds the pending messages. */
export interface OutboxHost {
  readonly transport: Transport;
  readonly clock: Clock;
  /** The entry if it is still pending (not confirmed by a broadcast, not discarded). */
  find(roomId: string, clientMsgId: string): PendingMessage | undefined;
  all(): PendingMessage[];
  patch(p: PendingMessage, patch: Partial<PendingMessage>): void;
  /** The server stored it: show the stored message in its place. */
  confirm(p: PendingMessage, ack: { readonly id: string; readonly seq: number; readonly ts: number }): void;
}

const SEND_TIMEOUT_MS = 15_000;
/** Sends refused for a passing reason are retried this many times before the user is asked. */
export const MAX_AUTO_ATTEMPTS = 6;
const MAX_BACKOFF_MS = 15_000;
const TRANSIENT_ERRORS = new Set(['overloaded', 'rate_limited', 'unavailable', 'internal', 'timeout']);

/**
 * Gets pending messages stored: one `message:send` at a time per message, always with its
 * clientMsgId, so the server stores each once however often it is sent.
 */
export class Outbox {
  private readonly host: OutboxHost;
  /** clientMsgIds with a `message:send` on the wire. */
  private readonly inFlight = new Set<string>();
  private readonly retryTimers = new Map<string, unknown>();

  constructor(host: OutboxHost) {
    this.host = host;
  }

  async deliver(roomId: string, clientMsgId: string): Promise<void> {
    const { transport, clock } = this.host;
    this.cancelRetry(clientMsgId);
    const p = this.host.find(roomId, clientMsgId);
    if (!p || this.inFlight.has(clientMsgId)) return;
    if (!transport.connected) return this.host.patch(p, { status: 'waiting' });
    const attempts = p.attempts + 1;
    this.host.patch(p, { status: 'sending', attempts });
    this.inFlight.add(clientMsgId);
    const res = await transport.request('message:send', { roomId, text: p.text, clientMsgId }, SEND_TIMEOUT_MS);
    this.inFlight.delete(clientMsgId);
    const still = this.host.find(roomId, clientMsgId);
    if (!still) return; // the broadcast confirmed it meanwhile, or the user discarded it
    if (res.ok) {
      this.host.confirm(still, res);
    } else if (res.error.code === 'disconnected') {
      this.host.patch(still, { status: 'waiting', error: res.error }); // flush() sends it on reconnection
    } else if (TRANSIENT_ERRORS.has(res.error.code) && attempts < MAX_AUTO_ATTEMPTS) {
      this.host.patch(still, { status: 'retrying', error: res.error });
      // A rate limit says how long to wait; otherwise back off exponentially.
      const delay = res.error.retryAfterMs ?? Math.min(1000 * 2 ** (attempts - 1), MAX_BACKOFF_MS);
      this.retryTimers.set(clientMsgId, clock.setTimeout(() => void this.deliver(roomId, clientMsgId), delay));
    } else {
      this.host.patch(still, { status: 'failed', error: res.error });
    }
  }

  /** Sends again everything not yet acknowledged that the user has not given up on. */
  flush(): void {
    for (const p of this.host.all()) if (p.status !== 'failed') void this.deliver(p.roomId, p.clientMsgId);
  }

  cancelRetry(clientMsgId: string): void {
    const h = this.retryTimers.get(clientMsgId);
    if (h !== undefined) this.host.clock.clearTimeout(h);
    this.retryTimers.delete(clientMsgId);
  }

  stop(): void {
    this.retryTimers.forEach((h) => this.host.clock.clearTimeout(h));
    this.retryTimers.clear();
  }
}
