import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from './chatStore';
import type { ChatState } from './state';

/** The store's current state; re-renders the component whenever it changes. */
export function useChatState(store: ChatStore): ChatState {
  const [state, setState] = useState(store.getState);
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(() => setState(store.getState()));
  }, [store]);
  return state;
}
