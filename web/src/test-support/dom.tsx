import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { AccountApi } from '../protocol/accountApi';
import { AccountApiContext } from '../components/context';

// Rendering components into happy-dom for tests that need a DOM (files marked
// `// @vitest-environment happy-dom`): by what a person reads and the labels they use.

export interface Mounted {
  readonly root: HTMLElement;
  /** Lets pending promises (the fake API's answers) and the renders they cause run. */
  settle(): Promise<void>;
  unmount(): void;
}

export async function mount(ui: ComponentChildren, api: AccountApi): Promise<Mounted> {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<AccountApiContext.Provider value={api}>{ui}</AccountApiContext.Provider>, root));
  const mounted: Mounted = {
    root,
    settle: async () => {
      for (let i = 0; i < 5; i++) await act(async () => await Promise.resolve());
    },
    unmount: () => {
      render(null, root);
      root.remove();
    },
  };
  await mounted.settle();
  return mounted;
}

/** The button whose visible text (or aria-label) is `name`. */
export function button(root: ParentNode, name: string | RegExp): HTMLButtonElement {
  const all = [...root.querySelectorAll('button')];
  const found = all.find((b) => matches(b.getAttribute('aria-label') ?? b.textContent?.trim() ?? '', name));
  if (!found) throw new Error(`no button "${name}"; there are: ${all.map((b) => b.textContent?.trim()).join(', ')}`);
  return found;
}

/** The input labelled `label`. */
export function field(root: ParentNode, label: string): HTMLInputElement {
  const labels = [...root.querySelectorAll('label')];
  const found = labels.find((l) => l.textContent?.trim() === label);
  const input = found && root.querySelector<HTMLInputElement>(`#${found.htmlFor}`);
  if (!input) throw new Error(`no field labelled "${label}"; there are: ${labels.map((l) => l.textContent).join(', ')}`);
  return input;
}

export async function click(target: HTMLElement, settle: () => Promise<void>): Promise<void> {
  await act(() => target.click());
  await settle();
}

export async function type(input: HTMLInputElement, value: string): Promise<void> {
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function submit(input: HTMLInputElement, settle: () => Promise<void>): Promise<void> {
  await act(() => input.form?.requestSubmit());
  await settle();
}

/** The text of the live regions (status and alert) that say something. */
export function said(root: ParentNode): string[] {
  return [...root.querySelectorAll('[role="status"], [role="alert"]')].map((e) => e.textContent?.trim() ?? '').filter(Boolean);
}

function matches(text: string, name: string | RegExp): boolean {
  return typeof name === 'string' ? text === name : name.test(text);
}
