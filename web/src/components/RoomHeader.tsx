import type { Room } from '../protocol/types';
import { roomTitle } from '../store/state';
import { Icon } from './Icon';

interface Props {
  room: Room | undefined;
  sidebarOpen: boolean;
  membersOpen: boolean;
  onOpenSidebar: () => void;
  onToggleMembers: () => void;
  onLeave: (() => void) | undefined;
}

export function RoomHeader({ room, sidebarOpen, membersOpen, onOpenSidebar, onToggleMembers, onLeave }: Props) {
  return (
    <header class="room-header">
      <button
        type="button"
        class="icon-button menu-button"
        aria-label="Open conversations"
        aria-expanded={sidebarOpen}
        onClick={onOpenSidebar}
      >
        <Icon name="menu" />
      </button>
      <div class="room-heading">
        <h1 class="room-title">
          {room?.kind === 'public' && <span class="room-hash" aria-hidden="true">#</span>}
          {room?.kind === 'private' && (
            <span class="room-hash" aria-hidden="true" title="Private room">
              <Icon name="lock" size={18} />
            </span>
          )}
          {room ? roomTitle(room) : 'Parley'}
        </h1>
        {room?.topic && <p class="room-topic">{room.topic}</p>}
        {room?.kind === 'dm' && !room.topic && <p class="room-topic">Direct message</p>}
        {room?.kind === 'private' && !room.topic && <p class="room-topic">Private room · members only</p>}
      </div>
      {room && (
        <div class="room-actions">
          <button
            type="button"
            class="icon-button"
            aria-label="Members"
            title="Members"
            aria-pressed={membersOpen}
            onClick={onToggleMembers}
          >
            <Icon name="users" />
            {room.memberCount > 0 && <span class="count">{room.memberCount}</span>}
          </button>
          {onLeave && (
            <button type="button" class="icon-button" aria-label="Leave room" title="Leave room" onClick={onLeave}>
              <Icon name="leave" />
            </button>
          )}
        </div>
      )}
    </header>
  );
}
