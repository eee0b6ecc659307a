import { validateName } from './names';

/** Who this browser chats as: kept in localStorage so a reload is the same user. */
export interface Identity {
  readonly name: string;
  readonly guestKey?: string;
}

const KEY = 'parley.identity';

export function loadIdentity(storage: Storage = localStorage): Identity | undefined {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return undefined;
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null) return undefined;
    const { name, guestKey } = v as { name?: unknown; guestKey?: unknown };
    if (typeof name !== 'string' || validateName(name)) return undefined;
    return typeof guestKey === 'string' ? { name, guestKey } : { name };
  } catch {
    return undefined; // storage blocked or corrupt: ask for a name again
  }
}

export function saveIdentity(identity: Identity, storage: Storage = localStorage): void {
  try {
    storage.setItem(KEY, JSON.stringify(identity));
  } catch {
    // Private mode or full storage: the name lasts for this page only.
  }
}

export function clearIdentity(storage: Storage = localStorage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    // nothing kept, nothing to clear
  }
}

/** What the server's refusal means to the person choosing a name. */
export function refusalText(reason: string): string {
  switch (reason) {
    case 'name_taken':
      return 'Someone online is already using that name. Pick another one.';
    case 'invalid_name':
      return 'The server does not accept that name. Use letters, digits, spaces and _ . - (up to 32).';
    case 'unauthorized':
      return 'This server requires an account. Sign in, or create one.';
    default:
      return `The server refused the connection: ${reason}`;
  }
}
