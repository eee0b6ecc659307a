import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { User } from '../protocol/types';
import type { Account } from '../protocol/authApi';
import { Avatar } from './Avatar';
import { useSession } from './context';
import { DevicesDialog } from './DevicesDialog';
import { EmailDialog } from './EmailDialog';
import { Icon } from './Icon';
import { PasswordDialog } from './PasswordDialog';
import { TwoFactorDialog } from './TwoFactorDialog';

/** The dialogs the menu opens, with their menu items' words. */
const SETTINGS = {
  totp: 'Two-factor sign-in',
  email: 'Email address',
  devices: 'Signed-in devices',
  password: 'Change password',
} as const;

type Setting = keyof typeof SETTINGS;

/**
 * The signed-in account at the foot of the sidebar; a menu button that opens the account's
 * settings ("Two-factor sign-in", "Email address", "Signed-in devices", "Change password") and
 * "Sign out" above it. Arrow keys move through the menu, Escape closes it.
 */
export function AccountMenu({ me, account, online }: { me: User; account: Account; online: boolean }) {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [setting, setSetting] = useState<Setting | undefined>();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = (): HTMLElement[] => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const outside = (e: PointerEvent): void => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent): void => {
    const all = items();
    const i = all.indexOf(document.activeElement as HTMLElement);
    const go = (j: number): void => {
      e.preventDefault();
      all[(j + all.length) % all.length]?.focus();
    };
    switch (e.key) {
      case 'ArrowDown':
        return go(i + 1);
      case 'ArrowUp':
        return go(i - 1);
      case 'Home':
        return go(0);
      case 'End':
        return go(all.length - 1);
      case 'Escape':
        e.preventDefault(); // not also the drawer's Escape
        setOpen(false);
        button.current?.focus();
        return;
      case 'Tab':
        setOpen(false);
        return;
    }
  };

  /** Closes the menu with the focus back on its button, where a dialog returns it when done. */
  const choose = (action: () => void): void => {
    button.current?.focus();
    setOpen(false);
    action();
  };

  const close = (): void => setSetting(undefined);

  return (
    <div class="account-menu">
      <button
        ref={button}
        type="button"
        class="me-button"
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        <Avatar user={me} online={online} />
        <span class="me-info">
          <span class="me-name" title={me.name}>
            {me.name}
          </span>
          <span class="me-detail">{account.displayName ?? 'Signed in'}</span>
        </span>
        <span class="visually-hidden">, account menu</span>
        <Icon name="up" size={16} />
      </button>
      {open && (
        <div ref={menu} id={menuId} class="menu" role="menu" aria-label={`Account ${me.name}`} onKeyDown={onKeyDown}>
          {(Object.keys(SETTINGS) as Setting[]).map((key) => (
            <button key={key} type="button" role="menuitem" tabIndex={-1} class="menu-item" onClick={() => choose(() => setSetting(key))}>
              {SETTINGS[key]}
            </button>
          ))}
          <button type="button" role="menuitem" tabIndex={-1} class="menu-item" onClick={() => choose(() => void session.signOut())}>
            Sign out
          </button>
        </div>
      )}
      {setting === 'totp' && <TwoFactorDialog username={account.name} onClose={close} />}
      {setting === 'email' && <EmailDialog onClose={close} />}
      {setting === 'devices' && <DevicesDialog onClose={close} />}
      {setting === 'password' && <PasswordDialog username={account.name} onClose={close} />}
    </div>
  );
}
