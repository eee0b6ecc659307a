import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type TimelineItem, buildItems } from '../store/items';
import { type ChatState, type RoomState, roomLabel, timelineOf } from '../store/state';
import { useStoreInstance } from './context';
import { Icon } from './Icon';
import { MessageRow, NoticeRow } from './MessageRow';

/** How close to the top starts loading older messages, and to the bottom counts as "at the end". */
const LOAD_OLDER_PX = 300;
const AT_BOTTOM_PX = 48;

/** The open room's messages: sticks to the newest, pages back on scrolling up. */
export function MessageList({ state, roomState }: { state: ChatState; roomState: RoomState }) {
  const store = useStoreInstance();
  const roomId = roomState.room.id;
  const timeline = timelineOf(state, roomId);
  const loadingOlder = state.loadingOlder[roomId] ?? false;
  const items = useMemo(
    () => buildItems(timeline.messages, timeline.pending, state.me, Date.now(), timeline.missing),
    [timeline.messages, timeline.pending, timeline.missing, state.me],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** The first row and scroll height before the last render, to keep the view still on prepend. */
  const before = useRef<{ firstKey: string | undefined; height: number; top: number }>({ firstKey: undefined, height: 0, top: 0 });
  const [unseen, setUnseen] = useState(false);

  const markReadIfSeen = (): void => {
    if (atBottom.current && document.visibilityState === 'visible') void store.markRead(roomId);
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const firstKey = items.find((i) => i.type !== 'day')?.key;
    const prev = before.current;
    if (prev.firstKey !== undefined && firstKey !== prev.firstKey && items.some((i) => i.key === prev.firstKey)) {
      el.scrollTop = prev.top + (el.scrollHeight - prev.height); // older rows went in above
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    } else if (items.length > 0) {
      setUnseen(true);
    }
    before.current = { firstKey, height: el.scrollHeight, top: el.scrollTop };
    // Too few rows to scroll: fetch older ones now, since no scroll event will ask.
    if (timeline.loaded && timeline.hasMoreBefore && el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) {
      void store.loadOlder(roomId);
    }
    markReadIfSeen();
  }, [items, timeline.loaded, timeline.hasMoreBefore]);

  useEffect(() => {
    const onVisible = (): void => markReadIfSeen();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [roomId]);

  const onScroll = (): void => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < AT_BOTTOM_PX;
    before.current = { ...before.current, height: el.scrollHeight, top: el.scrollTop };
    if (atBottom.current) {
      setUnseen(false);
      markReadIfSeen();
    }
    if (el.scrollTop < LOAD_OLDER_PX && timeline.hasMoreBefore && timeline.loaded) void store.loadOlder(roomId);
  };

  const jumpToEnd = (): void => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(false);
    markReadIfSeen();
  };

  const label = roomLabel(roomState.room);
  return (
    <div class="message-pane">
      <div
        ref={scroller}
        class="messages"
        role="log"
        aria-label={`Messages in ${label}`}
        aria-busy={!timeline.loaded || loadingOlder}
        tabIndex={0}
        onScroll={onScroll}
      >
        <div class="history-edge">
          {!timeline.loaded ? (
            <span class="muted">Loading messages…</span>
          ) : timeline.hasMoreBefore ? (
            <button type="button" class="link-button" disabled={loadingOlder} onClick={() => void store.loadOlder(roomId)}>
              {loadingOlder ? 'Loading earlier messages…' : 'Load earlier messages'}
            </button>
          ) : (
            <p class="room-start">
              <strong>
                {roomState.room.kind === 'dm'
                  ? `This is the start of your conversation with ${label}.`
                  : `This is the start of ${label}.`}
              </strong>
              {roomState.room.topic && <span> {roomState.room.topic}</span>}
            </p>
          )}
        </div>
        {items.map((item) => (
          <Row key={item.key} item={item} roomId={roomId} />
        ))}
      </div>
      {unseen && (
        <button type="button" class="jump-button" onClick={jumpToEnd}>
          <Icon name="down" size={16} /> New messages
        </button>
      )}
    </div>
  );
}

function Row({ item, roomId }: { item: TimelineItem; roomId: string }) {
  switch (item.type) {
    case 'day':
      return (
        <div class="day-separator" role="separator" aria-label={item.label}>
          <span>{item.label}</span>
        </div>
      );
    case 'gap':
      return <div class="gap-marker">Some messages here could not be loaded.</div>;
    case 'notice':
      return <NoticeRow message={item.message} />;
    case 'message':
      return <MessageRow item={item} roomId={roomId} />;
  }
}
