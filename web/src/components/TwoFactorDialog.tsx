import { useEffect, useRef, useState } from 'preact/hooks';
import type { TotpSetup, TotpStatus } from '../protocol/accountApi';
import { MAX_PASSWORD_LENGTH } from '../util/accounts';
import { normalizeCode, settingsErrorText, validateSixDigits } from '../util/accountSettings';
import { useAccountApi } from './context';
import { Dialog } from './Dialog';
import { QrCode } from './QrCode';
import { TextField } from './TextField';

/**
 * Where the dialog is: asking the status; off (offering to turn it on); setting up (the QR code
 * and the first code); the recovery codes, shown this once; on (offering to turn it off).
 */
type Step =
  | { readonly kind: 'loading' }
  | { readonly kind: 'unknown'; readonly error: string }
  | { readonly kind: 'off'; readonly note?: string }
  | { readonly kind: 'setup'; readonly setup: TotpSetup }
  | { readonly kind: 'codes'; readonly codes: readonly string[] }
  | { readonly kind: 'on'; readonly status: TotpStatus };

/** Shows whether two-factor sign-in is on, and turns it on (with a QR code) or off. */
export function TwoFactorDialog({ username, onClose }: { username: string; onClose: () => void }) {
  const api = useAccountApi();
  const [step, setStep] = useState<Step>({ kind: 'loading' });

  const load = async (): Promise<void> => {
    setStep({ kind: 'loading' });
    const res = await api.totpStatus();
    if (!res.ok) setStep({ kind: 'unknown', error: settingsErrorText(res.error, 'totp-setup') });
    else setStep(res.status.enabled ? { kind: 'on', status: res.status } : { kind: 'off' });
  };
  useEffect(() => void load(), []);

  return (
    <Dialog title="Two-factor sign-in" onClose={onClose} class="confirm two-factor">
      {step.kind === 'loading' && (
        <p class="dialog-text" role="status">
          Loading…
        </p>
      )}
      {step.kind === 'unknown' && (
        <>
          <p class="form-error" role="alert">
            {step.error}
          </p>
          <div class="dialog-actions">
            <button type="button" class="primary-button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        </>
      )}
      {step.kind === 'off' && <TurnOn note={step.note} onSetup={(setup) => setStep({ kind: 'setup', setup })} />}
      {step.kind === 'setup' && (
        <Confirm setup={step.setup} onEnabled={(codes) => setStep({ kind: 'codes', codes })} onCancel={onClose} />
      )}
      {step.kind === 'codes' && <RecoveryCodes codes={step.codes} onDone={onClose} />}
      {step.kind === 'on' && (
        <TurnOff username={username} status={step.status} onDisabled={() => setStep({ kind: 'off', note: 'Two-factor sign-in is off.' })} />
      )}
    </Dialog>
  );
}

function TurnOn({ note, onSetup }: { note: string | undefined; onSetup: (setup: TotpSetup) => void }) {
  const api = useAccountApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);

  const start = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const res = await api.setupTotp();
    setBusy(false);
    if (res.ok) onSetup(res.setup);
    else setError(settingsErrorText(res.error, 'totp-setup'));
  };

  return (
    <>
      <p class="dialog-text" role="status">
        {note ?? 'Two-factor sign-in is off.'}
      </p>
      <p class="dialog-text">With it on, signing in with your password also asks for a code from an authenticator app on your phone.</p>
      <p class="form-error" role="alert">
        {error}
      </p>
      <div class="dialog-actions">
        <button ref={button} type="button" class="primary-button" aria-disabled={busy ? 'true' : 'false'} onClick={() => void start()}>
          {busy ? 'Starting…' : 'Turn on'}
        </button>
      </div>
    </>
  );
}

function Confirm({ setup, onEnabled, onCancel }: { setup: TotpSetup; onEnabled: (codes: readonly string[]) => void; onCancel: () => void }) {
  const api = useAccountApi();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => codeRef.current?.focus(), []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const found = validateSixDigits(code, 'app');
    setProblem(found);
    if (found) return codeRef.current?.focus();
    setBusy(true);
    setError(undefined);
    const res = await api.enableTotp(normalizeCode(code));
    setBusy(false);
    if (res.ok) return onEnabled(res.recoveryCodes);
    setError(settingsErrorText(res.error, 'totp-enable'));
    codeRef.current?.focus();
  };

  return (
    <form class="password-form" noValidate onSubmit={(e) => void submit(e)}>
      <p class="dialog-text">Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
      <div class="qr-frame">
        <QrCode text={setup.uri} label="QR code for your authenticator app" />
      </div>
      <div class="secret-box">
        <p class="field-label">Or type this key into the app</p>
        <code class="secret-text">{groups(setup.secret)}</code>
      </div>
      <TextField
        id="totp-enable-code"
        label="Code from the app"
        autoComplete="one-time-code"
        verbatim
        maxLength={16}
        value={code}
        error={problem}
        inputRef={codeRef}
        onInput={(v) => {
          setCode(v);
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
          {busy ? 'Checking…' : 'Turn on'}
        </button>
      </div>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  const heading = useRef<HTMLParagraphElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <p ref={heading} tabIndex={-1} class="dialog-text notice-strong" role="status">
        Two-factor sign-in is on. Save these recovery codes now: they are shown only this once.
      </p>
      <p class="dialog-text">
        Each one signs you in once in place of a code from the app, if you lose your phone. Keep them somewhere safe, such as a password manager.
      </p>
      <ul class="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div class="dialog-actions">
        <button type="button" class="primary-button" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </>
  );
}

function TurnOff({ username, status, onDisabled }: { username: string; status: TotpStatus; onDisabled: () => void }) {
  const api = useAccountApi();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [problems, setProblems] = useState<{ password?: string | undefined; code?: string | undefined }>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => statusRef.current?.focus(), []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const found = {
      password: password === '' ? 'Enter your password.' : undefined,
      code: code.trim() === '' ? 'Enter a code from the app, or a recovery code.' : undefined,
    };
    setProblems(found);
    if (found.password) return passwordRef.current?.focus();
    if (found.code) return codeRef.current?.focus();
    setBusy(true);
    setError(undefined);
    const res = await api.disableTotp(password, code.trim());
    setBusy(false);
    if (res.ok) return onDisabled();
    setError(settingsErrorText(res.error, 'totp-disable'));
  };

  const left = status.recoveryCodesLeft;
  return (
    <form class="password-form" noValidate onSubmit={(e) => void submit(e)}>
      <p ref={statusRef} tabIndex={-1} class="dialog-text" role="status">
        Two-factor sign-in is on. {left === 1 ? '1 recovery code is' : `${left} recovery codes are`} left.
      </p>
      <p class="dialog-text">To turn it off, enter your password and a code from the app (or a recovery code).</p>
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <TextField
        id="totp-disable-password"
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
      <TextField
        id="totp-disable-code"
        label="Code"
        autoComplete="one-time-code"
        verbatim
        maxLength={32}
        value={code}
        error={problems.code}
        inputRef={codeRef}
        onInput={(v) => {
          setCode(v);
          setProblems({ ...problems, code: undefined });
        }}
      />
      <p class="form-error" role="alert">
        {error}
      </p>
      <div class="dialog-actions">
        <button type="submit" class="danger-button" aria-disabled={busy ? 'true' : 'false'}>
          {busy ? 'Turning off…' : 'Turn off'}
        </button>
      </div>
    </form>
  );
}

/** "JBSW Y3DP EHPK 3PXP": the key in groups of four, easier to copy by eye. */
function groups(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}
