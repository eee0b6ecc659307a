import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, validateConfirmation, validatePassword } from '../util/accounts';
import { useSession } from './context';
import { Dialog } from './Dialog';
import { TextField } from './TextField';

type Field = 'current' | 'next' | 'confirmation';
type Problems = Partial<Record<Field, string | undefined>>;

/** Changes the account's password; the server then signs out every other session of it. */
export function PasswordDialog({ username, onClose }: { username: string; onClose: () => void }) {
  const session = useSession();
  const [values, setValues] = useState<Record<Field, string>>({ current: '', next: '', confirmation: '' });
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const refs = { current: useRef<HTMLInputElement>(null), next: useRef<HTMLInputElement>(null), confirmation: useRef<HTMLInputElement>(null) };
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => refs.current.current?.focus(), []);
  useEffect(() => {
    if (done) closeRef.current?.focus();
  }, [done]);

  const edit = (field: Field) => (value: string) => {
    setValues({ ...values, [field]: value });
    setProblems({ ...problems, [field]: undefined });
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const found: Problems = {
      current: values.current === '' ? 'Enter your current password.' : undefined,
      next: validatePassword(values.next, username),
      confirmation: validateConfirmation(values.next, values.confirmation),
    };
    setProblems(found);
    const first = (['current', 'next', 'confirmation'] as const).find((f) => found[f]);
    if (first) return refs[first].current?.focus();
    setBusy(true);
    setError(undefined);
    const failed = await session.changePassword(values.current, values.next);
    setBusy(false);
    if (failed) setError(failed);
    else setDone(true);
  };

  return (
    <Dialog title="Change password" onClose={onClose} class="confirm">
      {done ? (
        <>
          <p class="dialog-text" role="status">
            Your password was changed. Every other browser and device signed in to this account was signed out.
          </p>
          <div class="dialog-actions">
            <button ref={closeRef} type="button" class="primary-button" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form class="password-form" noValidate onSubmit={(e) => void submit(e)}>
          {/* For password managers: whose password this is. */}
          <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
          <TextField
            id="password-current"
            label="Current password"
            type="password"
            autoComplete="current-password"
            maxLength={MAX_PASSWORD_LENGTH * 2}
            value={values.current}
            error={problems.current}
            inputRef={refs.current}
            onInput={edit('current')}
          />
          <TextField
            id="password-new"
            label="New password"
            type="password"
            autoComplete="new-password"
            maxLength={MAX_PASSWORD_LENGTH * 2}
            value={values.next}
            hint={`${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, not your username`}
            error={problems.next}
            inputRef={refs.next}
            onInput={edit('next')}
          />
          <TextField
            id="password-confirmation"
            label="Confirm new password"
            type="password"
            autoComplete="new-password"
            maxLength={MAX_PASSWORD_LENGTH * 2}
            value={values.confirmation}
            error={problems.confirmation}
            inputRef={refs.confirmation}
            onInput={edit('confirmation')}
          />
          <p class="form-error" role="alert">
            {error}
          </p>
          <p class="dialog-text">Every other browser and device signed in to this account will be signed out.</p>
          <div class="dialog-actions">
            <button type="button" class="secondary-button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class="primary-button" aria-disabled={busy ? 'true' : 'false'}>
              {busy ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
