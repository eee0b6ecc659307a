import { useEffect, useState } from 'preact/hooks';
import type { SessionState, WelcomeView } from '../store/session';
import { useSession } from './context';
import { NamePicker } from './NamePicker';
import { RegisterForm } from './RegisterForm';
import { SignInForm } from './SignInForm';
import { ThemeToggle } from './ThemeToggle';
import { TotpForm } from './TotpForm';

const LEAD: Record<WelcomeView, string> = {
  signin: 'Sign in to chat under your account, on any device.',
  register: 'An account keeps your name yours, on every device.',
  guest: 'Pick a name and start chatting. No account needed.',
};

const FOOT: Record<WelcomeView, string> = {
  signin: 'This browser stays signed in until you sign out.',
  register: 'This browser stays signed in until you sign out.',
  guest: 'This browser remembers your name, so a reload keeps you signed in.',
};

/** The first screen: sign in, create an account or, where the server allows it, chat as a guest. */
export function Welcome({ state }: { state: SessionState }) {
  const session = useSession();
  const { view } = state;
  // Filled in after the first paint, so that screen readers announce why this screen shows.
  const [notice, setNotice] = useState('');
  useEffect(() => setNotice(state.notice ?? ''), [state.notice]);
  useEffect(() => void session.loadProviders(), [session]);
  const others: Array<[WelcomeView, string]> = [
    ['signin', 'Sign in'],
    ['register', 'Create account'],
    ['guest', 'Continue as guest'],
  ];
  const offered = others.filter(([v]) => v !== view && !(v === 'guest' && state.guestsRefused));
  return (
    <div class="welcome">
      <div class="welcome-theme">
        <ThemeToggle />
      </div>
      <div class="welcome-card">
        <div class="brand-mark" aria-hidden="true">P</div>
        <h1>Welcome to Parley</h1>
        <p class="welcome-lead">{LEAD[view]}</p>
        <div class="welcome-notice" role="status">
          {notice && <p>{notice}</p>}
          {notice && state.checkFailed && (
            <button type="button" class="link-button" onClick={() => void session.start()}>
              Try again
            </button>
          )}
        </div>
        {view === 'signin' && (state.challenge === undefined ? <SignInForm state={state} /> : <TotpForm state={state} />)}
        {view !== 'guest' && state.challenge === undefined && state.providers.length > 0 && (
          <div class="welcome-providers">
            {state.providers.map((p) => (
              <a key={p.id} class="secondary-button provider-button" href={p.startUrl}>
                Sign in with {p.name}
              </a>
            ))}
          </div>
        )}
        {view === 'register' && <RegisterForm state={state} />}
        {view === 'guest' && <NamePicker initialName={state.lastName} error={state.error} onPick={(name) => session.continueAsGuest(name)} />}
        <div class="welcome-alt">
          <p class="welcome-or">
            <span>or</span>
          </p>
          <div class="welcome-alt-buttons">
            {offered.map(([v, label]) => (
              <button key={v} type="button" class="secondary-button" onClick={() => session.show(v)}>
                {label}
              </button>
            ))}
          </div>
        </div>
        <p class="welcome-foot">{FOOT[view]}</p>
      </div>
    </div>
  );
}
