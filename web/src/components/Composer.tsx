import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Room } from '../protocol/types';
import { MAX_TEXT_LENGTH } from '../protocol/types';
import { roomLabel } from '../store/state';
import { useStoreInstance } from './context';
import { Icon } from './Icon';

/** Unsent text per room, kept while switching rooms. */
const drafts = new Map<string, string>();
const MAX_HEIGHT_PX = 200;
const COUNTER_FROM = MAX_TEXT_LENGTH - 500;

/** Enter sends, Shift+Enter starts a new line. */
export function Composer({ room }: { room: Room }) {
  const store = useStoreInstance();
  const [text, setText] = useState(() => drafts.get(room.id) ?? '');
  const input = useRef<HTMLTextAreaElement>(null);
  const label = `Message ${roomLabel(room)}`;
  const tooLong = text.length > MAX_TEXT_LENGTH;
  const empty = text.trim() === '';

  useEffect(() => {
    // On a touch screen, focusing would pop the keyboard up at every room change.
    if (!matchMedia('(pointer: coarse)').matches) input.current?.focus();
  }, []);

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const update = (value: string): void => {
    setText(value);
    drafts.set(room.id, value);
    if (value.trim() === '') store.typingStop(room.id);
    else store.typingInput(room.id);
  };

  const submit = (): void => {
    if (empty || tooLong) return;
    store.send(room.id, text);
    update('');
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={input}
        class="composer-input"
        rows={1}
        aria-label={label}
        placeholder={label}
        value={text}
        aria-invalid={tooLong ? 'true' : 'false'}
        aria-describedby="composer-help"
        onInput={(e) => update(e.currentTarget.value)}
        onBlur={() => store.typingStop(room.id)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <button type="submit" class="send-button" aria-label="Send" title="Send (Enter)" disabled={empty || tooLong}>
        <Icon name="send" />
      </button>
      <p id="composer-help" class={`composer-help${tooLong ? ' error' : ''}`}>
        {text.length >= COUNTER_FROM ? (
          <span>
            {text.length.toLocaleString()} / {MAX_TEXT_LENGTH.toLocaleString()} characters
          </span>
        ) : (
          <span class="visually-hidden">Enter to send, Shift+Enter for a new line.</span>
        )}
      </p>
    </form>
  );
}
