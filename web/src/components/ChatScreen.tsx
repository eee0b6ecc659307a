import { useEffect, useState } from 'preact/hooks';
import { canLeave } from '../store/permissions';
import type { Who } from '../store/session';
import { type ChatState, roomLabel, totalUnread } from '../store/state';
import { ConnectionBanner } from './ConnectionBanner';
import { useStoreInstance } from './context';
import { Composer } from './Composer';
import { Dialog } from './Dialog';
import { MemberList } from './MemberList';
import { MessageList } from './MessageList';
import { Notices } from './Notices';
import { RoomBrowser } from './RoomBrowser';
import { RoomHeader } from './RoomHeader';
import { Sidebar } from './Sidebar';
import { TypingLine } from './TypingLine';

const WIDE = '(min-width: 1100px)';
const NARROW = '(max-width: 759px)';

function matches(query: string): boolean {
  return typeof matchMedia === 'function' && matchMedia(query).matches;
}

/** The chat: sidebar, the open room, its members; drawers on a narrow screen. */
export function ChatScreen({ state, who }: { state: ChatState; who: Who }) {
  const store = useStoreInstance();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [membersOpen, setMembersOpen] = useState(() => matches(WIDE));
  const [browsing, setBrowsing] = useState(false);
  const [leaving, setLeaving] = useState<string | undefined>();
  const active = state.activeRoomId ? state.rooms[state.activeRoomId] : undefined;

  const unread = totalUnread(state);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  // Escape closes an open drawer. Dialogs handle their own Escape: one opened from the drawer
  // closes alone, so the focus can go back to where it was in the drawer.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (sidebarOpen) setSidebarOpen(false);
      else if (membersOpen && matches(NARROW)) setMembersOpen(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [sidebarOpen, membersOpen]);

  // A drawer that opens takes the focus, so keyboard users land in it.
  useEffect(() => {
    if (sidebarOpen) document.querySelector<HTMLElement>('.sidebar .drawer-close')?.focus();
  }, [sidebarOpen]);

  const select = (roomId: string): void => {
    store.selectRoom(roomId);
    setSidebarOpen(false);
  };

  return (
    <div class={`chat${sidebarOpen ? ' sidebar-open' : ''}${membersOpen ? ' members-open' : ''}`}>
      <Sidebar
        state={state}
        who={who}
        onSelect={select}
        onBrowse={() => setBrowsing(true)}
        onClose={() => setSidebarOpen(false)}
      />
      {(sidebarOpen || (membersOpen && matches(NARROW))) && (
        <div
          class="scrim"
          aria-hidden="true"
          onClick={() => {
            setSidebarOpen(false);
            if (matches(NARROW)) setMembersOpen(false);
          }}
        />
      )}
      <main class="room" aria-label={active ? roomLabel(active.room) : 'Chat'}>
        <RoomHeader
          room={active?.room}
          sidebarOpen={sidebarOpen}
          membersOpen={membersOpen}
          onOpenSidebar={() => setSidebarOpen(true)}
          onToggleMembers={() => setMembersOpen(!membersOpen)}
          onLeave={active && canLeave(active.room) ? () => setLeaving(active.room.id) : undefined}
        />
        <ConnectionBanner connection={state.connection} />
        {active ? (
          <>
            <MessageList key={active.room.id} state={state} roomState={active} />
            <TypingLine state={state} roomId={active.room.id} />
            <Composer key={`c-${active.room.id}`} room={active.room} />
          </>
        ) : (
          <div class="room-empty">
            {state.connection.status === 'connected' ? 'Choose a room on the left.' : 'Connecting to the chat…'}
          </div>
        )}
      </main>
      {membersOpen && active && (
        <MemberList state={state} room={active.room} onClose={() => setMembersOpen(false)} afterDm={() => matches(NARROW) && setMembersOpen(false)} />
      )}
      <Notices notices={state.notices} />
      {browsing && <RoomBrowser state={state} onClose={() => setBrowsing(false)} onOpened={() => setSidebarOpen(false)} />}
      {leaving && state.rooms[leaving] && (
        <Dialog title={`Leave ${roomLabel(state.rooms[leaving]!.room)}?`} onClose={() => setLeaving(undefined)} class="confirm">
          <p class="dialog-text">
            {state.rooms[leaving]!.room.kind === 'private'
              ? 'You will stop receiving its messages. You can come back only if someone invites you again.'
              : 'You will stop receiving its messages. You can join again from the room list.'}
          </p>
          <div class="dialog-actions">
            <button type="button" class="secondary-button" onClick={() => setLeaving(undefined)}>
              Cancel
            </button>
            <button
              type="button"
              class="danger-button"
              onClick={() => {
                void store.leaveRoom(leaving);
                setLeaving(undefined);
              }}
            >
              Leave
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
