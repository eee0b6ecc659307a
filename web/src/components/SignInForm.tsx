import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_NAME_LENGTH } from '../protocol/types';
import type { SessionState } from '../store/session';
import { MAX_PASSWORD_LENGTH } from '../util/accounts';
import { useSession } from './context';
import { TextField } from './TextField';

/** Username and password; Enter in either field signs in. */
export function SignInForm({ state }: { state: SessionState }) {
  const session = useSession();
  const [username, setUsername] = useState(state.lastName);
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<{ username?: string | undefined; password?: string | undefined }>({});
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  useEffect(() => (username ? passwordRef : usernameRef).current?.focus(), []);

  const submit = (e: Event): void => {
    e.preventDefault();
    const found = {
      ...(username.trim() === '' ? { username: 'Enter your username.' } : {}),
      ...(password === '' ? { password: 'Enter your password.' } : {}),
    };
    setProblems(found);
    if (found.username) return usernameRef.current?.focus();
    if (found.password) return passwordRef.current?.focus();
    void session.signIn(username.trim(), password);
  };

  return (
    <form class="welcome-form" noValidate aria-labelledby="signin-title" onSubmit={submit}>
      <h2 id="signin-title" class="welcome-form-title">
        Sign in
      </h2>
      <TextField
        id="signin-username"
        label="Username"
        autoComplete="username"
        verbatim
        maxLength={MAX_NAME_LENGTH}
        value={username}
        error={problems.username}
        inputRef={usernameRef}
        onInput={(v) => {
          setUsername(v);
          setProblems({ ...problems, username: undefined });
        }}
      />
      <TextField
        id="signin-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        maxLength={MAX_PASSWORD_LENGTH * 2}
        value={password}
        error={problems.password}
        inputRef={passwordRef}
        onInput={(v) => {
          setPassword(v);
          setProblems({ ...problems, password: undefined });
        }}
      />
      <p class="form-error" role="alert">
        {state.error}
      </p>
      <button type="submit" class="primary-button" aria-disabled={state.busy ? 'true' : 'false'}>
        {state.busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
