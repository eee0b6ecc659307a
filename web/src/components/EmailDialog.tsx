import { useEffect, useRef, useState } from 'preact/hooks';
import type { Profile } from '../protocol/accountApi';
import { normalizeCode, settingsErrorText, validateEmail, validateSixDigits } from '../util/accountSettings';
import { useAccountApi } from './context';
import { Dialog } from './Dialog';
import { TextField } from './TextField';

/**
 * The account's email address and whether it is verified; sets or changes it, then takes the
 * 6-digit code the server mailed (and asks for another one).
 */
export function EmailDialog({ onClose }: { onClose: () => void }) {
  const api = useAccountApi();
  const [profile, setProfile] = useState<Profile | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  /** What the last action did, said in the status line. */
  const [news, setNews] = useState<string | undefined>();

  const load = async (): Promise<void> => {
    setLoadError(undefined);
    const res = await api.profile();
    if (res.ok) setProfile(res.profile);
    else setLoadError(settingsErrorText(res.error, 'email'));
  };
  useEffect(() => void load(), []);

  const changed = (next: Profile, said: string): void => {
    setProfile(next);
    setEditing(false);
    setNews(said);
  };

  return (
    <Dialog title="Email address" onClose={onClose} class="confirm">
      {profile === undefined ? (
        <>
          <p class={loadError ? 'form-error' : 'dialog-text'} role={loadError ? 'alert' : 'status'}>
            {loadError ?? 'Loading…'}
          </p>
          {loadError && (
            <div class="dialog-actions">
              <button type="button" class="primary-button" onClick={() => void load()}>
                Try again
              </button>
            </div>
          )}
        </>
      ) : editing ? (
        <AddressForm current={profile.email} onSaved={changed} onCancel={() => setEditing(false)} />
      ) : (
        <>
          <p class="dialog-text" role="status">
            {news}
          </p>
          <AddressStatus profile={profile} onChange={() => { setNews(undefined); setEditing(true); }} />
          {profile.email !== undefined && !profile.emailVerified && (
            <CodeForm email={profile.email} onVerified={(p) => changed(p, `Your address ${p.email ?? ''} is verified.`)} />
          )}
        </>
      )}
    </Dialog>
  );
}

function AddressStatus({ profile, onChange }: { profile: Profile; onChange: () => void }) {
  const button = useRef<HTMLButtonElement>(null);
  // With a code to enter, the code field takes the focus; else the one button here.
  useEffect(() => {
    if (profile.email === undefined || profile.emailVerified) button.current?.focus();
  }, [profile]);
  return (
    <div class="email-status">
      {profile.email === undefined ? (
        <p class="dialog-text">Your account has no email address.</p>
      ) : (
        <p class="email-line">
          <span class="email-address">{profile.email}</span>{' '}
          <span class={profile.emailVerified ? 'status-pill status-ok' : 'status-pill'}>{profile.emailVerified ? 'Verified' : 'Not verified'}</span>
        </p>
      )}
      <button ref={button} type="button" class="secondary-button" onClick={onChange}>
        {profile.email === undefined ? 'Add an address' : 'Change address'}
      </button>
    </div>
  );
}

function AddressForm({ current, onSaved, onCancel }: { current: string | undefined; onSaved: (p: Profile, said: string) => void; onCancel: () => void }) {
  const api = useAccountApi();
  const [email, setEmail] = useState(current ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const found = validateEmail(email);
    setProblem(found);
    if (found) return input.current?.focus();
    setBusy(true);
    setError(undefined);
    const res = await api.setEmail(email.trim());
    setBusy(false);
    if (!res.ok) return setError(settingsErrorText(res.error, 'email'));
    const address = res.profile.email ?? email.trim();
    onSaved(res.profile, res.codeSent ? `We sent a 6-digit code to ${address}.` : `${address} is verified already.`);
  };

  return (
    <form class="password-form" noValidate onSubmit={(e) => void submit(e)}>
      <TextField
        id="email-address"
        label="Email address"
        autoComplete="email"
        verbatim
        maxLength={254}
        value={email}
        hint="We mail a 6-digit code to it, to check that it is yours."
        error={problem}
        inputRef={input}
        onInput={(v) => {
          setEmail(v);
          setProblem(undefined);
        }}
      />
      <p class="form-error" role="alert">
        {error}
      </p>
      <div class="dialog-actions">
        <button type="button" class="secondary-button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary-button" aria-disabled={busy ? 'true' : 'false'}>
          {busy ? 'Sending…' : 'Send code'}
        </button>
      </div>
    </form>
  );
}

function CodeForm({ email, onVerified }: { email: string; onVerified: (p: Profile) => void }) {
  const api = useAccountApi();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [resent, setResent] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const found = validateSixDigits(code, 'mail');
    setProblem(found);
    if (found) return input.current?.focus();
    setBusy(true);
    setError(undefined);
    setResent(undefined);
    const res = await api.verifyEmail(normalizeCode(code));
    setBusy(false);
    if (res.ok) return onVerified(res.profile);
    setError(settingsErrorText(res.error, 'email-verify'));
    input.current?.focus();
  };

  const resend = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setResent(undefined);
    const res = await api.resendEmailCode();
    setBusy(false);
    if (res.ok) setResent(`A new code is on its way to ${email}.`);
    else setError(settingsErrorText(res.error, 'email-code'));
  };

  return (
    <form class="password-form" noValidate onSubmit={(e) => void submit(e)}>
      <TextField
        id="email-code"
        label="Code from the mail"
        autoComplete="one-time-code"
        verbatim
        maxLength={16}
        value={code}
        hint={`The 6-digit code we mailed to ${email}. It is good for 10 minutes.`}
        error={problem}
        inputRef={input}
        onInput={(v) => {
          setCode(v);
          setProblem(undefined);
        }}
      />
      <p class="dialog-text" role="status">
        {resent}
      </p>
      <p class="form-error" role="alert">
        {error}
      </p>
      <div class="dialog-actions">
        <button type="button" class="secondary-button" aria-disabled={busy ? 'true' : 'false'} onClick={() => void resend()}>
          Send a new code
        </button>
        <button type="submit" class="primary-button" aria-disabled={busy ? 'true' : 'false'}>
          {busy ? 'Checking…' : 'Verify'}
        </button>
      </div>
    </form>
  );
}
