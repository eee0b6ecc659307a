import { useEffect, useRef, useState } from 'preact/hooks';
import type { DeviceSession } from '../protocol/accountApi';
import { dateTimeText, deviceName, settingsErrorText } from '../util/accountSettings';
import { useAccountApi } from './context';
import { Dialog } from './Dialog';

/** The browsers and devices signed in to the account, newest first; any but this one can be signed out. */
export function DevicesDialog({ onClose }: { onClose: () => void }) {
  const api = useAccountApi();
  const [sessions, setSessions] = useState<readonly DeviceSession[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [news, setNews] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<string | undefined>();
  const list = useRef<HTMLUListElement>(null);

  const load = async (): Promise<void> => {
    setError(undefined);
    const res = await api.sessions();
    if (res.ok) setSessions(res.sessions);
    else setError(settingsErrorText(res.error, 'sessions'));
  };
  useEffect(() => void load(), []);

  const revoke = async (s: DeviceSession): Promise<void> => {
    if (revoking !== undefined) return;
    setRevoking(s.id);
    setError(undefined);
    setNews(undefined);
    const res = await api.revokeSession(s.id);
    setRevoking(undefined);
    // Gone either way: signed out now, or already (404).
    if (res.ok || res.error.code === 'not_found') {
      setSessions((all) => all?.filter((x) => x.id !== s.id));
      setNews(res.ok ? `${deviceName(s.userAgent)} was signed out.` : settingsErrorText(res.error, 'sessions'));
      list.current?.focus(); // the button that had the focus is gone
    } else {
      setError(settingsErrorText(res.error, 'sessions'));
    }
  };

  return (
    <Dialog title="Signed-in devices" onClose={onClose}>
      <p class="dialog-text">Every browser and app signed in to your account. Sign out any you do not recognise or no longer use.</p>
      {sessions === undefined && !error && (
        <p class="dialog-text" role="status">
          Loading…
        </p>
      )}
      {sessions && (
        <ul ref={list} tabIndex={-1} class="browse-list device-list" aria-label="Signed-in devices">
          {sessions.map((s) => (
            <li key={s.id} class="browse-item">
              <div class="browse-info">
                <span class="browse-name">
                  {deviceName(s.userAgent)}
                  {s.current && <span class="status-pill status-ok">This device</span>}
                </span>
                <span class="muted">Signed in {dateTimeText(s.createdAt)}</span>
                <span class="muted">Last used {dateTimeText(s.lastSeenAt)}</span>
              </div>
              {!s.current && (
                <button
                  type="button"
                  class="secondary-button"
                  aria-label={`Sign out ${deviceName(s.userAgent)}, signed in ${dateTimeText(s.createdAt)}`}
                  aria-disabled={revoking !== undefined ? 'true' : 'false'}
                  onClick={() => void revoke(s)}
                >
                  {revoking === s.id ? 'Signing out…' : 'Sign out'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <p class="dialog-text" role="status">
        {news}
      </p>
      <p class="form-error" role="alert">
        {error}
      </p>
      <div class="dialog-actions">
        {error && sessions === undefined && (
          <button type="button" class="secondary-button" onClick={() => void load()}>
            Try again
          </button>
        )}
        <button type="button" class="primary-button" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
