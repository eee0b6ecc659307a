import type { User } from '../protocol/types';

const HUES = 8;

function hueClass(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return `hue-${Math.abs(h) % HUES}`;
}

function initials(name: string): string {
  const parts = name.trim().split(/[\s_.-]+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[1]!].map((p) => [...p][0]) : [...(parts[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

export function Avatar({ user, online, small }: { user: User; online?: boolean | undefined; small?: boolean }) {
  return (
    <span class={`avatar ${hueClass(user.id)}${small ? ' small' : ''}`} aria-hidden="true">
      {initials(user.name)}
      {online !== undefined && <span class={`presence-dot ${online ? 'online' : 'offline'}`} />}
    </span>
  );
}
