import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_NAME_LENGTH } from '../protocol/types';
import { validateName } from '../util/names';

/** The guest's form on the welcome screen: the name to chat under. */
export function NamePicker(props: { initialName: string; error: string | undefined; onPick: (name: string) => void }) {
  const [name, setName] = useState(props.initialName);
  const [touched, setTouched] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const problem = validateName(name);
  const shown = touched ? problem : undefined;
  const error = shown ?? props.error;
  return (
    <form
      class="welcome-form"
      noValidate
      aria-labelledby="guest-title"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (problem) input.current?.focus();
        else props.onPick(name);
      }}
    >
      <h2 id="guest-title" class="welcome-form-title">
        Chat as a guest
      </h2>
      <div class="form-field">
        <label for="name-input" class="field-label">
          Your name
        </label>
        <input
          id="name-input"
          ref={input}
          class="text-input"
          type="text"
          autoComplete="nickname"
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
      </div>
      <button type="submit" class="primary-button">
        Join the chat
      </button>
    </form>
  );
}
