import { useEffect, useState } from 'preact/hooks';
import { type Theme, applyTheme, saveTheme, storedTheme, systemTheme } from '../util/theme';
import { Icon } from './Icon';

/** Switches between light and dark; until used, the system's preference decides. */
export function ThemeToggle() {
  const [chosen, setChosen] = useState<Theme | undefined>(storedTheme);
  const [system, setSystem] = useState<Theme>(systemTheme);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const onChange = (): void => setSystem(mq.matches ? 'dark' : 'light');
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  const current = chosen ?? system;
  const next: Theme = current === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      class="icon-button"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        setChosen(next);
        saveTheme(next);
        applyTheme(next);
      }}
    >
      <Icon name={current === 'dark' ? 'sun' : 'moon'} />
    </button>
  );
}
