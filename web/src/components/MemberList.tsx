import { useState } from 'preact/hooks';
import type { ChatError, Room, User } from '../protocol/types';
import { MAX_NAME_LENGTH } from '../protocol/types';
import { canInvite, canRemove } from '../store/permissions';
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

function inviteError(e: ChatError): string {
  return e.code === 'not_found' ? 'Nobody goes by that name.' : e.message || e.code;
}

/**
 * Who is in the room, online first, with their roles; "Message" opens a DM. Owners and
 * moderators also get an invite field and a "Remove" action for the members they may remove.
 */
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
        {(u.role === 'owner' || u.role === 'moderator') && <span class={`role-badge ${u.role}`}>{u.role}</span>}
        {!me && room.kind !== 'dm' && (
          <button
            type="button"
            class="icon-button small member-action"
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
        {canRemove(room, state.me, u) && (
          <button
            type="button"
            class="icon-button small member-action"
            aria-label={`Remove ${u.name} from ${roomLabel(room)}`}
            title={`Remove ${u.name}`}
            onClick={() => void store.kick(room.id, u.id)}
          >
            <Icon name="remove" size={16} />
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
      {canInvite(room) && <InviteForm room={room} />}
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

/** Adds someone to the room by name, at once: there are no pending invitations. */
function InviteForm({ room }: { room: Room }) {
  const store = useStoreInstance();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    setBusy(true);
    const err = await store.invite(room.id, trimmed);
    setBusy(false);
    if (err) setError(inviteError(err));
    else setName('');
  };
  return (
    <form class="invite-form" onSubmit={(e) => void submit(e)}>
      <input
        class="text-input"
        value={name}
        maxLength={MAX_NAME_LENGTH}
        placeholder="Invite by name"
        aria-label={`Invite to ${roomLabel(room)} by name`}
        aria-invalid={error ? 'true' : 'false'}
        onInput={(e) => {
          setName(e.currentTarget.value);
          setError(undefined);
        }}
      />
      <button type="submit" class="icon-button small" aria-label="Invite" title="Invite" disabled={busy}>
        <Icon name="invite" size={18} />
      </button>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
