import type { ChatState } from '../store/state';
import { typingText, typists } from '../store/typing';

export function TypingLine({ state, roomId }: { state: ChatState; roomId: string }) {
  const text = typingText(typists(state.typing, roomId, Date.now(), state.me?.id));
  return (
    <div class="typing-line" aria-live="polite">
      {text && (
        <>
          <span class="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span class="typing-text">{text}</span>
        </>
      )}
    </div>
  );
}
