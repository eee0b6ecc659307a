import type { Connection } from '../store/state';

/** Says when the chat is not live; silent while connected. */
export function ConnectionBanner({ connection }: { connection: Connection }) {
  let text: string | undefined;
  switch (connection.status) {
    case 'connecting':
      text = connection.lastError ? 'Cannot reach the chat server. Retrying…' : 'Connecting…';
      break;
    case 'reconnecting':
      text = connection.serverStopping
        ? 'The chat server is restarting. Reconnecting… Messages you send now go out once it is back.'
        : connection.attempt > 1
          ? `Connection lost. Reconnecting (attempt ${connection.attempt})… Messages you send now go out once it is back.`
          : 'Connection lost. Reconnecting… Messages you send now go out once it is back.';
      break;
    case 'signed_out':
      text = 'Signed out.';
      break;
    case 'closed':
      text = 'Disconnected.';
      break;
    default:
      text = undefined;
  }
  return (
    <div class={`connection-banner${text ? ' shown' : ''}`} role="status" aria-live="polite">
      {text}
    </div>
  );
}
