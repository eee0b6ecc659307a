import { io, type Socket } from 'socket.io-client';
import type { ConnectionEvent, Transport, Unsubscribe } from './transport';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './transport';
import type { RequestName, Requests, Result, ServerEvents } from './types';

/** A guest's name and key; empty for an account, which the session cookie signs in. */
export interface AuthPayload {
  readonly name?: string;
  readonly guestKey?: string;
}

export interface SocketTransportOptions {
  /** Namespace URL; same origin by default. */
  readonly url?: string;
  /** Read on every (re)connection so a guestKey learnt later is presented next time. */
  readonly auth: () => AuthPayload;
}

/** How long to wait before reconnecting after the server closed the connection itself. */
const SERVER_CLOSE_RETRY_MS = [1000, 2000, 5000, 10_000];

/** The Transport over the official socket.io-client. */
export function createSocketTransport(options: SocketTransportOptions): Transport {
  const socket: Socket = io(options.url ?? '/chat', {
    autoConnect: false,
    auth: (cb) => cb({ ...options.auth() }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 8000,
  });
  const connectionHandlers = new Set<(event: ConnectionEvent) => void>();
  const notify = (event: ConnectionEvent): void => connectionHandlers.forEach((h) => h(event));
  // Owned by this closure: whether close() was called, and the pending self-reconnect.
  let closed = true;
  let serverCloseCount = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  socket.on('connect', () => {
    serverCloseCount = 0;
    notify({ type: 'connected', recovered: socket.recovered });
  });
  socket.on('disconnect', (reason) => {
    notify({ type: 'disconnected', reason });
    // The client reconnects by itself after network trouble, but not after the server closed the
    // socket (a restart, a shutdown): a chat should come back on its own then too.
    if (reason === 'io server disconnect' && !closed) {
      const delay = SERVER_CLOSE_RETRY_MS[Math.min(serverCloseCount++, SERVER_CLOSE_RETRY_MS.length - 1)];
      retryTimer = setTimeout(() => {
        if (!closed) socket.connect();
      }, delay);
    }
  });
  socket.on('connect_error', (err: Error) => {
    // A refusal by the server's middleware deactivates the socket; transport errors do not.
    notify({ type: 'connect_error', message: err.message, fatal: !socket.active });
  });
  socket.io.on('reconnect_attempt', (attempt) => notify({ type: 'reconnecting', attempt }));

  return {
    get connected() {
      return socket.connected;
    },
    connect() {
      closed = false;
      socket.connect();
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      socket.disconnect();
    },
    request<K extends RequestName>(
      name: K,
      args: Requests[K]['args'],
      timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS,
    ): Promise<Result<Requests[K]['result']>> {
      if (!socket.connected) {
        return Promise.resolve({ ok: false, error: { code: 'disconnected', message: 'Not connected' } });
      }
      return new Promise((resolve) => {
        socket.timeout(timeoutMs).emit(name, args, (err: Error | null, response: unknown) => {
          if (err) {
            const code = socket.connected ? 'timeout' : 'disconnected';
            resolve({ ok: false, error: { code, message: err.message } });
          } else {
            resolve(asResult<Requests[K]['result']>(response));
          }
        });
      });
    },
    sendTyping(roomId, typing) {
      socket.volatile.emit('typing', { roomId, typing });
    },
    on<K extends keyof ServerEvents>(name: K, handler: (payload: ServerEvents[K]) => void): Unsubscribe {
      const listener = (payload: ServerEvents[K]): void => handler(payload);
      socket.on(name as string, listener);
      return () => {
        socket.off(name as string, listener);
      };
    },
    onConnection(handler) {
      connectionHandlers.add(handler);
      return () => {
        connectionHandlers.delete(handler);
      };
    },
  };
}

function asResult<T>(response: unknown): Result<T> {
  if (typeof response === 'object' && response !== null && typeof (response as { ok?: unknown }).ok === 'boolean') {
    const r = response as Result<T>;
    if (r.ok || (typeof r.error === 'object' && r.error !== null)) return r;
  }
  return { ok: false, error: { code: 'internal', message: 'The server sent an acknowledgement this app does not understand' } };
}
