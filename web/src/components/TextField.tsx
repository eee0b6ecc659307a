import type { Ref } from 'preact';

interface Props {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'password';
  autoComplete?: string;
  maxLength?: number;
  /** Shown under the field while there is no error. */
  hint?: string | undefined;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  onBlur?: () => void;
  /** Typed exactly as it is (a username): no automatic capitals on phones. */
  verbatim?: boolean;
}

/** A labelled input with its hint or error under it, tied to it for screen readers. */
export function TextField(props: Props) {
  const note = props.error ?? props.hint;
  const noteId = `${props.id}-note`;
  const attrs = {
    id: props.id,
    ref: props.inputRef ?? null,
    class: 'text-input',
    autoComplete: props.autoComplete,
    autoCapitalize: props.verbatim ? ('none' as const) : undefined,
    spellcheck: false,
    maxLength: props.maxLength,
    value: props.value,
    'aria-invalid': props.error ? ('true' as const) : ('false' as const),
    'aria-describedby': note ? noteId : undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
    onBlur: props.onBlur,
  };
  return (
    <div class="form-field">
      <label for={props.id} class="field-label">
        {props.label}
      </label>
      {props.type === 'password' ? <input type="password" {...attrs} /> : <input type="text" {...attrs} />}
      {note && (
        <p id={noteId} class={props.error ? 'field-error' : 'field-hint'}>
          {note}
        </p>
      )}
    </div>
  );
}
