import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionState } from '../store/session';
import { useSession } from './context';
import { TextField } from './TextField';

/** The second step of a sign-in with two-factor sign-in: the code the authenticator app shows, or a recovery code. */
export function TotpForm({ state }: { state: SessionState }) {
  const session = useSession();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => codeRef.current?.focus(), []);

  const submit = (e: Event): void => {
    e.preventDefault();
    if (code.trim() === '') {
      setProblem('Enter the code from your authenticator app.');
      codeRef.current?.focus();
      return;
    }
    void session.verifyTotp(code);
  };

  return (
    <form class="welcome-form" noValidate aria-labelledby="totp-title" onSubmit={submit}>
      <h2 id="totp-title" class="welcome-form-title">
        Enter your code
      </h2>
      <TextField
        id="totp-code"
        label="Code"
        autoComplete="one-time-code"
        hint="The 6-digit code your authenticator app shows for Parley, or one of your recovery codes."
        verbatim
        maxLength={32}
        value={code}
        error={problem}
        inputRef={codeRef}
        onInput={(v) => {
          setCode(v);
          setProblem(undefined);
        }}
      />
      <p class="form-error" role="alert">
        {state.error}
      </p>
      <button type="submit" class="primary-button" aria-disabled={state.busy ? 'true' : 'false'}>
        {state.busy ? 'Checking…' : 'Sign in'}
      </button>
      <button type="button" class="link-button" onClick={() => session.cancelTotp()}>
        Back to the password
      </button>
    </form>
  );
}
