import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ChatStore } from '../store/chatStore';

export const StoreContext = createContext<ChatStore | undefined>(undefined);

export function useStoreInstance(): ChatStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStoreInstance() outside <StoreContext.Provider>');
  return store;
}
