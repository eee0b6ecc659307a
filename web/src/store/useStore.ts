import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from './chatStore';
import type { SessionStore, SessionState } from './session';
import type { ChatState } from './state';

interface Observable<S> {
  getState(): S;
  subscribe(listener: () => void): () => void;
}

/** The store's current state; re-renders the component whenever it changes. */
function useStoreState<S>(store: Observable<S>): S {
  const [state, setState] = useState(store.getState);
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(() => setState(store.getState()));
  }, [store]);
  return state;
}

export function useChatState(store: ChatStore): ChatState {
  return useStoreState(store);
}

export function useSessionState(store: SessionStore): SessionState {
  return useStoreState(store);
}
