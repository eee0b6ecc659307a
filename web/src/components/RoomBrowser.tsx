import { useEffect, useState } from 'preact/hooks';
import type { ChatError, Room } from '../protocol/types';
import { MAX_ROOM_NAME_LENGTH } from '../protocol/types';
import type { ChatState } from '../store/state';
import { validateRoomName } from '../util/names';
import { useStoreInstance } from './context';
import { Dialog } from './Dialog';
import { Icon } from './Icon';

function errorText(e: ChatError): string {
  return e.code === 'conflict' ? 'A public room with that name already exists.' : e.message || e.code;
}

/** Lists the rooms to join (every public room, and your private ones), and creates new ones. */
export function RoomBrowser({ state, onClose, onOpened }: { state: ChatState; onClose: () => void; onOpened: () => void }) {
  const store = useStoreInstance();
  const [rooms, setRooms] = useState<Room[] | undefined>();
  const [listError, setListError] = useState<string | undefined>();
  const [filter, setFilter] = useState('');
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [createError, setCreateError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void store.listRooms().then((res) => {
      if (!live) return;
      if (res.ok) setRooms([...res.rooms].sort((a, b) => a.name.localeCompare(b.name)));
      else setListError(res.error.message || res.error.code);
    });
    return () => {
      live = false;
    };
  }, []);

  const done = (): void => {
    onOpened();
    onClose();
  };

  const open = async (room: Room): Promise<void> => {
    if (state.rooms[room.id]) {
      store.selectRoom(room.id);
      return done();
    }
    setBusy(true);
    const err = await store.joinRoom(room.id);
    setBusy(false);
    if (err) setListError(errorText(err));
    else done();
  };

  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    const trimmed = name.trim();
    const problem = validateRoomName(trimmed);
    if (problem) return setCreateError(problem);
    setBusy(true);
    const err = await store.createRoom(trimmed, topic.trim(), isPrivate);
    setBusy(false);
    if (err) setCreateError(errorText(err));
    else done();
  };

  const shown = (rooms ?? []).filter((r) => r.name.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <Dialog title="Rooms" onClose={onClose} class="room-browser">
      <form class="create-room" onSubmit={(e) => void create(e)}>
        <h3>Create a room</h3>
        <div class="create-fields">
          <label class="field">
            <span class="field-label">Name</span>
            <input
              class="text-input"
              value={name}
              maxLength={MAX_ROOM_NAME_LENGTH}
              placeholder="e.g. design-review"
              aria-invalid={createError ? 'true' : 'false'}
              onInput={(e) => {
                setName(e.currentTarget.value);
                setCreateError(undefined);
              }}
            />
          </label>
          <label class="field">
            <span class="field-label">Topic (optional)</span>
            <input class="text-input" value={topic} maxLength={200} onInput={(e) => setTopic(e.currentTarget.value)} />
          </label>
        </div>
        <label class="check-field">
          <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.currentTarget.checked)} />
          <span>
            Private <span class="muted">— only people you invite can see and join it</span>
          </span>
        </label>
        {createError && (
          <p class="field-error" role="alert">
            {createError}
          </p>
        )}
        <button type="submit" class="primary-button" disabled={busy}>
          Create room
        </button>
      </form>
      <div class="browse-rooms">
        <h3>Rooms</h3>
        <input
          class="text-input"
          type="search"
          aria-label="Filter rooms"
          placeholder="Filter rooms"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        {listError && (
          <p class="field-error" role="alert">
            {listError}
          </p>
        )}
        {!rooms && !listError && <p class="muted">Loading rooms…</p>}
        {rooms && (
          <ul class="browse-list">
            {shown.map((r) => {
              const joined = Boolean(state.rooms[r.id]);
              return (
                <li key={r.id} class="browse-item">
                  <div class="browse-info">
                    <span class="browse-name">
                      {r.kind === 'private' ? (
                        <>
                          <Icon name="lock" size={14} /> {r.name}
                          <span class="visually-hidden"> (private)</span>
                        </>
                      ) : (
                        `# ${r.name}`
                      )}
                    </span>
                    <span class="muted">
                      {r.memberCount} {r.memberCount === 1 ? 'member' : 'members'}
                      {r.topic ? ` · ${r.topic}` : ''}
                    </span>
                  </div>
                  <button
                    type="button"
                    class={joined ? 'secondary-button' : 'primary-button'}
                    disabled={busy}
                    aria-label={`${joined ? 'Open' : 'Join'} ${r.kind === 'private' ? r.name : `#${r.name}`}`}
                    onClick={() => void open(r)}
                  >
                    {joined ? 'Open' : 'Join'}
                  </button>
                </li>
              );
            })}
            {shown.length === 0 && <li class="muted">No rooms match.</li>}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
