import type { Message } from '../protocol/types';
import type { TimelineItem } from '../store/items';
import { timeLabel } from '../store/items';
import { Avatar } from './Avatar';
import { useStoreInstance } from './context';

type MessageItem = Extract<TimelineItem, { type: 'message' }>;

function fullTime(ts: number): string {
  return new Date(ts).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' });
}

/** One text message. Its text is a text node: markup in it is shown, never interpreted. */
export function MessageRow({ item, roomId }: { item: MessageItem; roomId: string }) {
  const store = useStoreInstance();
  const p = item.pending;
  const state = p ? p.status : 'sent';
  return (
    <div
      class={`msg${item.head ? ' head' : ''}${p ? ` pending ${p.status}` : ''}`}
      data-seq={item.message?.seq}
      data-state={state}
    >
      <div class="msg-gutter">
        {item.head ? (
          <Avatar user={item.user} />
        ) : (
          <time class="msg-time-hover" dateTime={new Date(item.ts).toISOString()} title={fullTime(item.ts)}>
            {timeLabel(item.ts)}
          </time>
        )}
      </div>
      <div class="msg-body">
        {item.head && (
          <div class="msg-meta">
            <span class="msg-author">{item.user.name}</span>
            <time class="msg-time" dateTime={new Date(item.ts).toISOString()} title={fullTime(item.ts)}>
              {timeLabel(item.ts)}
            </time>
          </div>
        )}
        <div class="msg-text">{item.text}</div>
        {p && (
          <div class="msg-status" role={p.status === 'failed' ? 'alert' : undefined}>
            {p.status === 'sending' && 'Sending…'}
            {p.status === 'waiting' && 'Waiting for the connection…'}
            {p.status === 'retrying' &&
              (p.error?.code === 'overloaded' ? 'The server is busy. Retrying…' : 'Not sent yet. Retrying…')}
            {p.status === 'failed' && (
              <>
                <span>Not sent: {p.error?.message || p.error?.code || 'unknown error'}</span>
                <button type="button" class="link-button" onClick={() => store.retry(roomId, p.clientMsgId)}>
                  Retry
                </button>
                <button type="button" class="link-button" onClick={() => store.discard(roomId, p.clientMsgId)}>
                  Delete
                </button>
              </>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

/** A join or leave notice. */
export function NoticeRow({ message }: { message: Message }) {
  const verb = message.kind === 'join' ? 'joined' : 'left';
  return (
    <div class={`notice-row ${message.kind}`} data-seq={message.seq}>
      <span class="notice-arrow" aria-hidden="true">
        {message.kind === 'join' ? '→' : '←'}
      </span>
      <span>
        <strong>{message.user.name}</strong> {verb}
      </span>
      <time class="msg-time" dateTime={new Date(message.ts).toISOString()} title={fullTime(message.ts)}>
        {timeLabel(message.ts)}
      </time>
    </div>
  );
}
