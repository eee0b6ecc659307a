import type { RequestName, Requests, Result, ServerEvents } from './types';

/** What the connection is doing, as the app shows it. */
export type ConnectionEvent =
  | { readonly type: 'connected'; readonly recovered: boolean }
  | { readonly type: 'disconnected'; readonly reason: string }
  | { readonly type: 'reconnecting'; readonly attempt: number }
  /** `fatal`: the server refused us (bad name, …) and no retry will follow. */
  | { readonly type: 'connect_error'; readonly message: string; readonly fatal: boolean };

export type Unsubscribe = () => void;

/**
 * The chat connection as the store sees it: typed requests with acknowledgements, server events,
 * connection changes. Lifecycle: created idle; `connect()` starts connecting and reconnects on
 * its own after drops until `close()`; a fatal `connect_error` stops it until `connect()` again.
 */
export interface Transport {
  readonly connected: boolean;
  connect(): void;
  close(): void;
  /** Never rejects: failures, timeouts and a missing connection come back as `ok: false`. */
  request<K extends RequestName>(
    name: K,
    args: Requests[K]['args'],
    timeoutMs?: number,
  ): Promise<Result<Requests[K]['result']>>;
  /** Typing is volatile: dropped rather than queued when the connection is down. */
  sendTyping(roomId: string, typing: boolean): void;
  on<K extends keyof ServerEvents>(name: K, handler: (payload: ServerEvents[K]) => void): Unsubscribe;
  onConnection(handler: (event: ConnectionEvent) => void): Unsubscribe;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
