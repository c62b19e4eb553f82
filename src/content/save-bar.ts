/**
 * The save/update bar: a closed shadow root in the top frame, drawn in the top layer (a manual
 * popover) so ordinary page content cannot sit above it. It shows the site's host, a masked
 * username and the choice — never a password. Every click passes the clickjacking guard
 * (in-page-guard.ts) before anything is sent; the worker then saves only if this very document is
 * the one it asked to show the bar.
 */
import type { SavePromptView } from '../shared/messages';
import { logEvent } from '../shared/log';
import { guardButton, type Shown } from './in-page-guard';
import { pageWord } from './page-words';

export type BarChoice = 'save' | 'never' | 'dismiss';

const CSS = `
:host { all: initial !important; position: fixed !important; top: 12px !important; right: 12px !important; left: auto !important; bottom: auto !important;
  margin: 0 !important; padding: 0 !important; border: 0 !important; inset: 12px 12px auto auto !important; width: 360px !important; height: auto !important;
  opacity: 1 !important; visibility: visible !important; display: block !important; z-index: 2147483647 !important; transform: none !important;
  filter: none !important; clip-path: none !important; overflow: visible !important; background: transparent !important; pointer-events: auto !important; }
.bar { box-sizing: border-box; font: 14px/1.4 system-ui, sans-serif; color: #111; background: #fff; border: 1px solid #888; border-radius: 8px;
  box-shadow: 0 4px 16px rgba(0,0,0,.25); padding: 12px; }
.msg { margin: 0 0 4px; font-weight: 600; }
.who { margin: 0 0 8px; color: #333; word-break: break-all; }
.note { margin: 0 0 8px; color: #444; font-size: 12px; }
.row { display: flex; gap: 8px; flex-wrap: wrap; }
button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #555; background: #f2f2f2; color: #111; cursor: pointer; min-width: 64px; min-height: 28px; }
button.primary { background: #1d4ed8; color: #fff; border-color: #1d4ed8; }
`;

let current: { host: HTMLElement; shown: Shown; observer: MutationObserver } | null = null;

export function closeBar(): void {
  if (!current) return;
  current.observer.disconnect();
  current.host.remove();
  current = null;
}

export function isBarShown(): boolean {
  return current !== null;
}

/** Show the bar; `onChoice` runs only for a click that passed the guard. */
export function showBar(view: SavePromptView, onChoice: (choice: BarChoice) => void): void {
  closeBar();
  const host = document.createElement('div');
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.setAttribute('role', 'dialog');
  bar.setAttribute('aria-label', 'SecureVault');
  const msg = document.createElement('p');
  msg.className = 'msg';
  msg.textContent = pageWord(view.action === 'update' ? 'bar_update_question' : 'bar_save_question', view.host);
  const who = document.createElement('p');
  who.className = 'who';
  who.textContent = view.maskedUsername === '' ? pageWord('bar_no_username') : view.maskedUsername;
  bar.append(msg, who);
  if (view.locked) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = pageWord('bar_locked_note');
    bar.append(note);
  }
  const row = document.createElement('div');
  row.className = 'row';
  const button = (choice: BarChoice, label: string, primary = false) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.sv = choice;
    if (primary) b.className = 'primary';
    guardButton(b, () => current?.shown ?? null, 'bar', () => {
      closeBar();
      onChoice(choice);
    });
    return b;
  };
  row.append(
    button('save', pageWord(view.action === 'update' ? 'bar_update' : 'bar_save'), true),
    button('never', pageWord('bar_never')),
    button('dismiss', pageWord('bar_not_now')),
  );
  bar.append(row);
  root.append(style, bar);
  host.setAttribute('popover', 'manual');
  document.documentElement.append(host);
  try {
    host.showPopover();
  } catch {
    // no popover support: the fixed, maximal z-index host still draws above ordinary content
  }
  const shown: Shown = { host, shownAt: performance.now(), hostRect: host.getBoundingClientRect() };
  // The page has no business touching our host: any attribute change (style, class, hidden,
  // popover…) is an attack on the bar (restyle it invisible, shrink it, move it). It is closed and
  // no click on it counts any more; the held offer simply expires.
  const observer = new MutationObserver(() => {
    logEvent('content', 'bar.tampered');
    closeBar();
  });
  observer.observe(host, { attributes: true });
  host.addEventListener('toggle', (e) => {
    if ((e as ToggleEvent).newState === 'closed') closeBar(); // the page closed our popover
  });
  current = { host, shown, observer };
}
