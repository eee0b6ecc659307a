import type { Room, User } from '../protocol/types';
import { type ChatState, isOnline, roomLabel } from '../store/state';
import { Avatar } from './Avatar';
import { useStoreInstance } from './context';
import { Icon } from './Icon';

interface Props {
  state: ChatState;
  room: Room;
  onClose: () => void;
  afterDm: () => void;
}

/** Who is in the room, online first; "Message" opens a DM. */
export function MemberList({ state, room, onClose, afterDm }: Props) {
  const store = useStoreInstance();
  const members = state.members[room.id];
  const all = Object.values(members ?? {}).sort((a, b) => a.name.localeCompare(b.name));
  const online = all.filter((u) => isOnline(state, u));
  const offline = all.filter((u) => !isOnline(state, u));
  const row = (u: User) => {
    const me = u.id === state.me?.id;
    const on = isOnline(state, u);
    return (
      <li key={u.id} class="member">
        <Avatar user={u} online={on} small />
        <span class="member-name">
          {u.name}
          {me && <span class="muted"> (you)</span>}
          <span class="visually-hidden">{on ? ', online' : ', offline'}</span>
        </span>
        {!me && room.kind === 'public' && (
          <button
            type="button"
            class="icon-button small member-dm"
            aria-label={`Message ${u.name}`}
            title={`Message ${u.name}`}
            onClick={() => {
              void store.openDm(u.id);
              afterDm();
            }}
          >
            <Icon name="chat" size={16} />
          </button>
        )}
      </li>
    );
  };
  return (
    <aside class="members" aria-label={`Members of ${roomLabel(room)}`}>
      <div class="members-top">
        <h2>Members</h2>
        <button type="button" class="icon-button small" aria-label="Close members" onClick={onClose}>
          <Icon name="close" size={18} />
        </button>
      </div>
      {!members ? (
        <p class="muted members-empty">Loading…</p>
      ) : (
        <div class="members-scroll">
          <h3 class="members-group">Online — {online.length}</h3>
          <ul class="member-list">{online.map(row)}</ul>
          {offline.length > 0 && (
            <>
              <h3 class="members-group">Offline — {offline.length}</h3>
              <ul class="member-list offline">{offline.map(row)}</ul>
            </>
          )}
        </div>
      )}
    </aside>
  );
}
