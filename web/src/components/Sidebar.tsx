import type { Who } from '../store/session';
import type { RoomState, ChatState } from '../store/state';
import { isOnline, roomTitle, sidebarRooms } from '../store/state';
import { useSessionState } from '../store/useStore';
import { AccountMenu } from './AccountMenu';
import { Avatar } from './Avatar';
import { useSession } from './context';
import { Icon } from './Icon';
import { ThemeToggle } from './ThemeToggle';

interface Props {
  state: ChatState;
  who: Who;
  onSelect: (roomId: string) => void;
  onBrowse: () => void;
  onClose: () => void;
}

export function Sidebar({ state, who, onSelect, onBrowse, onClose }: Props) {
  const session = useSession();
  const sessionError = useSessionState(session).error;
  const { channels, dms } = sidebarRooms(state);
  const me = state.me;
  const online = state.connection.status === 'connected';
  const item = (r: RoomState) => {
    const active = r.room.id === state.activeRoomId;
    const peer = r.room.kind === 'dm' ? r.room.peer : undefined;
    const unread = active ? 0 : r.unread;
    return (
      <li key={r.room.id}>
        <button
          type="button"
          class={`room-link${active ? ' active' : ''}${unread > 0 ? ' has-unread' : ''}`}
          aria-current={active ? 'page' : undefined}
          onClick={() => onSelect(r.room.id)}
        >
          {peer ? (
            <Avatar user={peer} online={isOnline(state, peer)} small />
          ) : (
            <span class="room-hash" aria-hidden="true">
              {r.room.kind === 'private' ? <Icon name="lock" size={14} /> : '#'}
            </span>
          )}
          <span class="room-link-name">{roomTitle(r.room)}</span>
          {r.room.kind === 'private' && <span class="visually-hidden"> (private)</span>}
          {peer && <span class="visually-hidden">{isOnline(state, peer) ? ' (online)' : ' (offline)'}</span>}
          {unread > 0 && (
            <span class="badge">
              {unread > 99 ? '99+' : unread}
              <span class="visually-hidden"> unread</span>
            </span>
          )}
        </button>
      </li>
    );
  };
  return (
    <nav class="sidebar" aria-label="Conversations">
      <div class="sidebar-top">
        <span class="brand">
          <span class="brand-mark small" aria-hidden="true">P</span>Parley
        </span>
        <ThemeToggle />
        <button type="button" class="icon-button drawer-close" aria-label="Close conversations" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div class="sidebar-scroll">
        <section class="sidebar-section">
          <div class="sidebar-heading">
            <h2 id="rooms-heading">Rooms</h2>
            <button type="button" class="icon-button small" aria-label="Browse or create rooms" title="Browse or create rooms" onClick={onBrowse}>
              <Icon name="plus" size={18} />
            </button>
          </div>
          <ul class="room-list" aria-labelledby="rooms-heading">
            {channels.map(item)}
          </ul>
          <button type="button" class="link-button" onClick={onBrowse}>
            Browse rooms
          </button>
        </section>
        <section class="sidebar-section">
          <div class="sidebar-heading">
            <h2 id="dms-heading">Direct messages</h2>
          </div>
          {dms.length > 0 ? (
            <ul class="room-list" aria-labelledby="dms-heading">
              {dms.map(item)}
            </ul>
          ) : (
            <p class="sidebar-hint">Open a member list and choose “Message” to start one.</p>
          )}
        </section>
      </div>
      {me && who.kind === 'account' && (
        <div class="sidebar-me account">
          <AccountMenu me={me} account={who.account} online={online} />
        </div>
      )}
      {me && who.kind === 'guest' && (
        <div class="sidebar-me">
          <Avatar user={me} online={online} />
          <div class="me-info">
            <span class="me-name" title={me.name}>
              {me.name}
            </span>
            <span class="me-links">
              <button type="button" class="link-button" onClick={() => session.leaveGuest('guest')}>
                Change name
              </button>
              <button type="button" class="link-button" onClick={() => session.leaveGuest('signin')}>
                Sign in
              </button>
            </span>
          </div>
        </div>
      )}
      <p class="sidebar-error" role="alert">
        {sessionError}
      </p>
    </nav>
  );
}
