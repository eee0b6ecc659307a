import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_NAME_LENGTH } from '../protocol/types';
import type { SessionState } from '../store/session';
import {
  MAX_DISPLAY_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  type RegistrationFields,
  type RegistrationProblems,
  checkRegistration,
} from '../util/accounts';
import { useSession } from './context';
import { TextField } from './TextField';

const ORDER: ReadonlyArray<keyof RegistrationFields> = ['username', 'displayName', 'password', 'confirmation'];

/** Username, optional display name, password twice; checked here first, then by the server. */
export function RegisterForm({ state }: { state: SessionState }) {
  const session = useSession();
  const [fields, setFields] = useState<RegistrationFields>({ username: '', displayName: '', password: '', confirmation: '' });
  const [problems, setProblems] = useState<RegistrationProblems>({});
  const refs = {
    username: useRef<HTMLInputElement>(null),
    displayName: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    confirmation: useRef<HTMLInputElement>(null),
  };
  useEffect(() => refs.username.current?.focus(), []);

  const edit = (field: keyof RegistrationFields) => (value: string) => {
    setFields({ ...fields, [field]: value });
    if (problems[field]) {
      const rest = { ...problems };
      delete rest[field];
      setProblems(rest);
    }
  };

  const submit = (e: Event): void => {
    e.preventDefault();
    const found = checkRegistration(fields);
    setProblems(found);
    const first = ORDER.find((f) => found[f]);
    if (first) return refs[first].current?.focus();
    const displayName = fields.displayName.trim();
    void session.register({
      username: fields.username,
      password: fields.password,
      ...(displayName ? { displayName } : {}),
    });
  };

  return (
    <form class="welcome-form" noValidate aria-labelledby="register-title" onSubmit={submit}>
      <h2 id="register-title" class="welcome-form-title">
        Create an account
      </h2>
      <TextField
        id="register-username"
        label="Username"
        autoComplete="username"
        verbatim
        maxLength={MAX_NAME_LENGTH}
        value={fields.username}
        hint={`Up to ${MAX_NAME_LENGTH} letters, digits, spaces and _ . -`}
        error={problems.username}
        inputRef={refs.username}
        onInput={edit('username')}
      />
      <TextField
        id="register-display-name"
        label="Display name (optional)"
        autoComplete="name"
        maxLength={MAX_DISPLAY_NAME_LENGTH}
        value={fields.displayName}
        error={problems.displayName}
        inputRef={refs.displayName}
        onInput={edit('displayName')}
      />
      <TextField
        id="register-password"
        label="Password"
        type="password"
        autoComplete="new-password"
        maxLength={MAX_PASSWORD_LENGTH * 2}
        value={fields.password}
        hint={`${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, not your username`}
        error={problems.password}
        inputRef={refs.password}
        onInput={edit('password')}
      />
      <TextField
        id="register-confirmation"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        maxLength={MAX_PASSWORD_LENGTH * 2}
        value={fields.confirmation}
        error={problems.confirmation}
        inputRef={refs.confirmation}
        onInput={edit('confirmation')}
      />
      <p class="form-error" role="alert">
        {state.error}
      </p>
      <button type="submit" class="primary-button" aria-disabled={state.busy ? 'true' : 'false'}>
        {state.busy ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}
