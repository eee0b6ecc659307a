import type { ConnectionEvent, Transport, Unsubscribe } from '../protocol/transport';
import type { ChatError, RequestName, Requests, Result, ServerEvents } from '../protocol/types';

/** Any acknowledgement, as a test writes it. */
export type AnyResult = { ok: true; [field: string]: unknown } | { ok: false; error: ChatError };

export interface SentRequest {
  readonly name: RequestName;
  readonly args: unknown;
  readonly respond: (result: AnyResult) => void;
}

/** A Transport whose requests wait until the test answers them. */
export class FakeTransport implements Transport {
  connected = false;
  /** How often connect() and close() were called. */
  connects = 0;
  closes = 0;
  readonly requests: SentRequest[] = [];
  readonly typingSent: Array<{ roomId: string; typing: boolean }> = [];
  private readonly handlers = new Map<string, Set<(p: never) => void>>();
  private readonly connectionHandlers = new Set<(e: ConnectionEvent) => void>();

  connect(): void {
    this.connects++;
  }

  close(): void {
    this.closes++;
    this.connected = false;
  }

  request<K extends RequestName>(name: K, args: Requests[K]['args']): Promise<Result<Requests[K]['result']>> {
    if (!this.connected) return Promise.resolve({ ok: false, error: { code: 'disconnected', message: 'Not connected' } });
    return new Promise((resolve) => {
      this.requests.push({ name, args, respond: resolve as (r: AnyResult) => void });
    });
  }

  sendTyping(roomId: string, typing: boolean): void {
    this.typingSent.push({ roomId, typing });
  }

  on<K extends keyof ServerEvents>(name: K, handler: (payload: ServerEvents[K]) => void): Unsubscribe {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler as (p: never) => void);
    return () => set.delete(handler as (p: never) => void);
  }

  onConnection(handler: (e: ConnectionEvent) => void): Unsubscribe {
    this.connectionHandlers.add(handler);
    return () => this.connectionHandlers.delete(handler);
  }

  // ---- driven by tests

  emit<K extends keyof ServerEvents>(name: K, payload: ServerEvents[K]): void {
    this.handlers.get(name)?.forEach((h) => (h as (p: ServerEvents[K]) => void)(payload));
  }

  open(recovered = false): void {
    this.connected = true;
    this.connectionHandlers.forEach((h) => h({ type: 'connected', recovered }));
  }

  drop(reason = 'transport close'): void {
    this.connected = false;
    // Like socket.io-client: acks still outstanding fail at once on disconnect.
    for (const r of this.requests.splice(0)) r.respond({ ok: false, error: { code: 'disconnected', message: reason } });
    this.connectionHandlers.forEach((h) => h({ type: 'disconnected', reason }));
  }

  refuse(message: string): void {
    this.connectionHandlers.forEach((h) => h({ type: 'connect_error', message, fatal: true }));
  }

  /** Takes the oldest unanswered request, which must be `name`. */
  take(name: RequestName): SentRequest {
    const i = this.requests.findIndex((r) => r.name === name);
    if (i < 0) throw new Error(`no pending ${name} request; pending: ${this.requests.map((r) => r.name).join(', ') || 'none'}`);
    return this.requests.splice(i, 1)[0]!;
  }

  pending(name: RequestName): SentRequest[] {
    return this.requests.filter((r) => r.name === name);
  }
}
