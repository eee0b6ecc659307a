import { useEffect, useRef, useState } from 'preact/hooks';
import { createAccountApi } from '../protocol/accountApi';
import { createAuthApi } from '../protocol/authApi';
import { createSocketTransport } from '../protocol/socketTransport';
import { ChatStore } from '../store/chatStore';
import { type Who, SessionStore } from '../store/session';
import { useChatState, useSessionState } from '../store/useStore';
import type { Identity } from '../util/identity';
import { takeSignInError } from '../util/signInError';
import { ChatScreen } from './ChatScreen';
import { AccountApiContext, SessionContext, StoreContext, useSession } from './context';
import { Welcome } from './Welcome';

/** Chooses between the welcome screen and the chat, and owns the session's and the connection's lifetimes. */
export function App() {
  const [session] = useState(() => new SessionStore({
    api: createAuthApi(),
    signInError: takeSignInError(window.location, (url) => window.history.replaceState(null, '', url)),
  }));
  const [accountApi] = useState(() => createAccountApi());
  const state = useSessionState(session);
  useEffect(() => {
    void session.start();
    return () => session.stop();
  }, [session]);
  return (
    <SessionContext.Provider value={session}>
      <AccountApiContext.Provider value={accountApi}>
        {state.phase === 'chat' && state.who ? (
          <Connected key={state.chat} who={state.who} />
        ) : state.phase === 'welcome' ? (
          <Welcome state={state} />
        ) : (
          <div class="welcome">
            <p class="muted" role="status">
              Loading…
            </p>
          </div>
        )}
      </AccountApiContext.Provider>
    </SessionContext.Provider>
  );
}

/**
 * Holds one store (one connection) for one chat: a guest presents its name and key, an account
 * nothing (the session cookie goes with the handshake by itself). A refusal or the server's
 * `signed_out` ends it and hands over to the session.
 */
function Connected({ who }: { who: Who }) {
  const session = useSession();
  const guest = useRef<Identity | undefined>(who.kind === 'guest' ? who.identity : undefined);
  const [store] = useState(
    () =>
      new ChatStore({
        transport: createSocketTransport({ auth: () => guest.current ?? {} }),
        onSession: (user, guestKey) => {
          if (!guest.current || guestKey === undefined) return;
          guest.current = { name: user.name, guestKey };
          session.guestSession(guest.current);
        },
      }),
  );
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const state = useChatState(store);
  const { status, refusal, signedOut } = state.connection;
  useEffect(() => {
    if (status === 'refused' && refusal) session.chatEnded({ refusal });
    else if (status === 'signed_out') session.chatEnded({ signedOut: signedOut ?? 'signed out' });
  }, [status, refusal, signedOut]);
  return (
    <StoreContext.Provider value={store}>
      <ChatScreen state={state} who={who} />
    </StoreContext.Provider>
  );
}
