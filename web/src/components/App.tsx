import { useEffect, useRef, useState } from 'preact/hooks';
import { createSocketTransport } from '../protocol/socketTransport';
import { ChatStore } from '../store/chatStore';
import { useChatState } from '../store/useStore';
import { type Identity, clearIdentity, loadIdentity, refusalText, saveIdentity } from '../util/identity';
import { ChatScreen } from './ChatScreen';
import { StoreContext } from './context';
import { NamePicker } from './NamePicker';

/** Chooses between the name picker and the chat, and owns the connection's lifetime. */
export function App() {
  const [identity, setIdentity] = useState<Identity | undefined>(loadIdentity);
  const [lastName, setLastName] = useState(identity?.name ?? '');
  const [refusal, setRefusal] = useState<string | undefined>();

  if (!identity) {
    return (
      <NamePicker
        initialName={lastName}
        error={refusal}
        onPick={(name) => {
          const picked: Identity = { name }; // a new name is a new guest: no key
          saveIdentity(picked);
          setRefusal(undefined);
          setIdentity(picked);
        }}
      />
    );
  }
  return (
    <Connected
      key={identity.name}
      identity={identity}
      onLeave={(reason) => {
        if (reason) setRefusal(refusalText(reason));
        setLastName(identity.name);
        clearIdentity();
        setIdentity(undefined);
      }}
    />
  );
}

/** Holds one store (one connection) for one identity. `onLeave(reason)`: refused, or signed out. */
function Connected(props: { identity: Identity; onLeave: (reason?: string) => void }) {
  const identity = useRef(props.identity);
  const [store] = useState(
    () =>
      new ChatStore({
        transport: createSocketTransport({ auth: () => identity.current }),
        onSession: (user, guestKey) => {
          identity.current = { name: user.name, guestKey };
          saveIdentity(identity.current);
        },
      }),
  );
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const state = useChatState(store);
  const refusal = state.connection.status === 'refused' ? state.connection.refusal : undefined;
  useEffect(() => {
    if (refusal) props.onLeave(refusal);
  }, [refusal]);
  return (
    <StoreContext.Provider value={store}>
      <ChatScreen state={state} onSignOut={() => props.onLeave()} />
    </StoreContext.Provider>
  );
}
