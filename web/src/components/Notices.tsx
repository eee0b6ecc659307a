import type { Notice } from '../store/state';
import { useStoreInstance } from './context';
import { Icon } from './Icon';

/** Errors and warnings that are not tied to one message. */
export function Notices({ notices }: { notices: readonly Notice[] }) {
  const store = useStoreInstance();
  return (
    <div class="notices" role="alert" aria-live="assertive">
      {notices.map((n) => (
        <div class="notice-toast" key={n.id}>
          <span>{n.text}</span>
          <button type="button" class="icon-button small" aria-label="Dismiss" onClick={() => store.dismissNotice(n.id)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </div>
  );
}
