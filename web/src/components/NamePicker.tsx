import { useState } from 'preact/hooks';
import { MAX_NAME_LENGTH } from '../protocol/types';
import { validateName } from '../util/names';
import { ThemeToggle } from './ThemeToggle';

/** The first screen: choose the name to chat under. */
export function NamePicker(props: { initialName: string; error: string | undefined; onPick: (name: string) => void }) {
  const [name, setName] = useState(props.initialName);
  const [touched, setTouched] = useState(false);
  const problem = validateName(name);
  const shown = touched ? problem : undefined;
  const error = shown ?? props.error;
  return (
    <div class="welcome">
      <div class="welcome-theme">
        <ThemeToggle />
      </div>
      <form
        class="welcome-card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!problem) props.onPick(name);
        }}
      >
        <div class="brand-mark" aria-hidden="true">P</div>
        <h1>Welcome to Parley</h1>
        <p class="welcome-lead">Pick a name and start chatting. No account needed.</p>
        <label for="name-input" class="field-label">
          Your name
        </label>
        <input
          id="name-input"
          class="text-input"
          type="text"
          autoComplete="nickname"
          autoFocus
          maxLength={MAX_NAME_LENGTH}
          value={name}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? 'name-error' : 'name-hint'}
          onInput={(e) => setName(e.currentTarget.value)}
          onBlur={() => setTouched(name !== '')}
        />
        {error ? (
          <p id="name-error" class="field-error" role="alert">
            {error}
          </p>
        ) : (
          <p id="name-hint" class="field-hint">
            Up to {MAX_NAME_LENGTH} letters, digits, spaces and _ . -
          </p>
        )}
        <button type="submit" class="primary-button">
          Join the chat
        </button>
        <p class="welcome-foot">This browser remembers your name, so a reload keeps you signed in.</p>
      </form>
    </div>
  );
}
