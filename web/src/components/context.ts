import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AccountApi } from '../protocol/accountApi';
import type { ChatStore } from '../store/chatStore';
import type { SessionStore } from '../store/session';

export const StoreContext = createContext<ChatStore | undefined>(undefined);

export function useStoreInstance(): ChatStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStoreInstance() outside <StoreContext.Provider>');
  return store;
}

/** Who the browser is: sign-in, sign-out, the account menu. */
export const SessionContext = createContext<SessionStore | undefined>(undefined);

export function useSession(): SessionStore {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <SessionContext.Provider>');
  return session;
}

/** The signed-in account's settings: two-factor sign-in, email address, signed-in devices. */
export const AccountApiContext = createContext<AccountApi | undefined>(undefined);

export function useAccountApi(): AccountApi {
  const api = useContext(AccountApiContext);
  if (!api) throw new Error('useAccountApi() outside <AccountApiContext.Provider>');
  return api;
}
