/**
 * The in-field menu: when the user focuses the username or password field of this frame's login
 * (or a new-password field of a signup or change-password form), a small list opens under it, in
 * a closed shadow root drawn in the top layer. It lists what the worker sent — titles, masked
 * usernames, one-time tokens — and, on new-password fields, "Use a strong password". Nothing is
 * filled until a click passes the clickjacking guard (in-page-guard.ts: trusted, shown ≥ 500 ms,
 * host and field visible and unmoved, on top); a pick then asks the worker, which fills this frame
 * through the same policy as the popup's Fill. Locked: the menu says where to unlock — never a
 * password prompt in the page.
 */
import type { MenuList } from '../shared/messages';
import { logEvent } from '../shared/log';
import { request, viaRuntime } from '../shared/messaging';
import { generatePassword } from '../shared/password-generator';
import { isVisibleField } from './field-visibility';
import { fillInput } from './fill-field';
import { currentPlan } from './form-model';
import { guardButton, type Shown } from './in-page-guard';
import { pageWord } from './page-words';

const CSS = `
:host { all: initial !important; position: fixed !important; display: block !important; z-index: 2147483647 !important; margin: 0 !important;
  padding: 0 !important; border: 0 !important; opacity: 1 !important; visibility: visible !important; transform: none !important; filter: none !important;
  clip-path: none !important; overflow: visible !important; width: 280px !important; height: auto !important; background: transparent !important; pointer-events: auto !important; }
.menu { box-sizing: border-box; font: 13px/1.35 system-ui, sans-serif; color: #111; background: #fff; border: 1px solid #888; border-radius: 6px;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); padding: 4px; }
.head { margin: 2px 6px 4px; font-weight: 600; color: #333; }
.note { margin: 4px 6px; color: #333; }
button { display: block; width: 100%; box-sizing: border-box; text-align: left; font: inherit; padding: 6px 8px; border: 0; border-radius: 4px;
  background: transparent; color: #111; cursor: pointer; min-height: 32px; }
button:hover, button:focus { background: #e8eefc; outline: none; }
.title { display: block; font-weight: 600; }
.user { display: block; color: #444; }
`;

const NOT_NEW = /current|\bold|existing/i;

let current: { host: HTMLElement; shown: Shown; field: HTMLInputElement; cleanup: () => void } | null = null;
let opening: HTMLInputElement | null = null;
let quietUntil = 0;

/** A fill is focusing fields on the user's behalf: that is not the user asking for the menu. */
export function quietFor(ms: number): void {
  quietUntil = performance.now() + ms;
  closeMenu();
}

export function closeMenu(): void {
  if (!current) return;
  current.cleanup();
  current.host.remove();
  current = null;
}

/** Password fields that take a *new* password in the field's form (new + confirm), visible only. */
function newPasswordFields(field: HTMLInputElement): HTMLInputElement[] {
  const scope: ParentNode = field.form ?? (field.getRootNode() as Document | ShadowRoot);
  const out: HTMLInputElement[] = [];
  for (const el of scope.querySelectorAll('input[type="password"]')) {
    const input = el as HTMLInputElement;
    const hints = `${input.autocomplete} ${input.name} ${input.id} ${input.getAttribute('aria-label') ?? ''} ${input.labels?.[0]?.textContent ?? ''}`;
    if (input.autocomplete === 'current-password' || NOT_NEW.test(hints) || input.disabled || input.readOnly || !isVisibleField(input)) continue;
    out.push(input);
  }
  return out.slice(0, 3);
}

function isNewPasswordField(field: HTMLInputElement): boolean {
  if (field.type !== 'password') return false;
  if (field.autocomplete === 'new-password') return true;
  const plan = currentPlan();
  return (plan?.kind === 'signup' || plan?.kind === 'change-password') && newPasswordFields(field).includes(field);
}

function place(host: HTMLElement, field: HTMLElement): void {
  const r = field.getBoundingClientRect();
  const top = Math.min(r.bottom + 4, Math.max(0, window.innerHeight - 60));
  const left = Math.max(0, Math.min(r.left, window.innerWidth - 284));
  host.style.setProperty('top', `${top}px`, 'important');
  host.style.setProperty('left', `${left}px`, 'important');
}

function render(list: MenuList, generator: boolean, onPick: (what: { token: string } | 'generate') => void): { host: HTMLElement; controls: HTMLElement[] } {
  const host = document.createElement('div');
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const menu = document.createElement('div');
  menu.className = 'menu';
  menu.setAttribute('role', 'listbox');
  menu.setAttribute('aria-label', 'SecureVault');
  const head = document.createElement('p');
  head.className = 'head';
  head.textContent = 'SecureVault';
  menu.append(head);
  const controls: HTMLElement[] = [];
  const entry = (sv: string, title: string, sub: string, pick: () => void) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.sv = sv;
    b.setAttribute('role', 'option');
    const t = document.createElement('span');
    t.className = 'title';
    t.textContent = title;
    const u = document.createElement('span');
    u.className = 'user';
    u.textContent = sub;
    b.append(t, u);
    // Keep the focus in the field (a mousedown on the menu would blur it).
    b.addEventListener('mousedown', (e) => e.preventDefault());
    guardButton(b, () => current?.shown ?? null, 'menu', pick);
    controls.push(b);
    menu.append(b);
  };
  if (list.locked) {
    const note = document.createElement('p');
    note.className = 'note';
    note.dataset.sv = 'locked';
    note.textContent = pageWord('menu_locked_note');
    menu.append(note);
  } else {
    list.items.forEach((item, i) =>
      entry(`item-${i}`, item.title, item.savedHost ? pageWord('menu_saved_for', item.maskedUsername, item.savedHost) : item.maskedUsername, () => onPick({ token: item.token })),
    );
    if (list.items.length === 0 && !generator) {
      const note = document.createElement('p');
      note.className = 'note';
      note.dataset.sv = 'empty';
      note.textContent = pageWord('menu_empty');
      menu.append(note);
    }
  }
  if (generator) entry('generate', pageWord('menu_generate'), pageWord('menu_generate_sub'), () => onPick('generate'));
  root.append(style, menu);
  return { host, controls };
}

function useGenerated(field: HTMLInputElement): void {
  const targets = newPasswordFields(field);
  if (!targets.includes(field)) targets.unshift(field);
  const password = generatePassword({ length: 20 });
  quietFor(500);
  for (const t of targets) fillInput(t, password);
  field.focus({ preventScroll: true });
}

/** Open the menu under `field` (a plan field the user focused). */
export async function openMenu(field: HTMLInputElement): Promise<void> {
  if (current?.field === field || opening === field) return;
  closeMenu();
  opening = field;
  const generator = isNewPasswordField(field);
  const before = field.value;
  const res = await request(viaRuntime, 'menu.items', {}).finally(() => {
    opening = null;
  });
  if (!res.ok || (document.activeElement !== field && field.getRootNode() === document)) return;
  if (field.value !== before) return; // the user started typing meanwhile: no menu over the form
  if (!res.value.locked && res.value.items.length === 0 && !generator) return; // nothing to offer: no menu
  const { host } = render(res.value, generator, (what) => {
    closeMenu();
    if (what === 'generate') useGenerated(field);
    else void request(viaRuntime, 'menu.pick', what);
  });
  host.setAttribute('popover', 'manual');
  document.documentElement.append(host);
  place(host, field);
  try {
    host.showPopover();
  } catch {
    // no popover support: the fixed host with the largest z-index still draws above page content
  }
  const shown: Shown = { host, shownAt: performance.now(), hostRect: host.getBoundingClientRect(), anchor: { el: field, rect: field.getBoundingClientRect() } };
  let placing = false;
  const observer = new MutationObserver(() => {
    if (placing) return;
    logEvent('content', 'menu.tampered'); // the page touched our host: close, no click counts
    closeMenu();
  });
  const onBlur = () => setTimeout(() => {
    if (current && document.activeElement !== field && field.getRootNode().contains(field)) {
      const active = (field.getRootNode() as Document | ShadowRoot).activeElement;
      if (active !== field) closeMenu();
    }
  }, 150);
  // Escape, or the user typing in the field: they are not picking from the menu (it would cover
  // the page's own buttons, e.g. "Next" right under a username field).
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' || (e.isTrusted && e.key.length === 1)) closeMenu();
  };
  const onMove = () => closeMenu(); // scroll or resize: the menu no longer sits under the field
  field.addEventListener('blur', onBlur);
  field.addEventListener('keydown', onKey);
  window.addEventListener('scroll', onMove, { capture: true, passive: true });
  window.addEventListener('resize', onMove);
  host.addEventListener('toggle', (e) => {
    if ((e as ToggleEvent).newState === 'closed') closeMenu();
  });
  placing = true;
  observer.observe(host, { attributes: true });
  // The style attribute we set while placing is ours; from now on any change is the page's.
  queueMicrotask(() => {
    placing = false;
  });
  current = {
    host,
    shown,
    field,
    cleanup: () => {
      observer.disconnect();
      field.removeEventListener('blur', onBlur);
      field.removeEventListener('keydown', onKey);
      window.removeEventListener('scroll', onMove, { capture: true });
      window.removeEventListener('resize', onMove);
    },
  };
}

/** Focus on a field of this frame's plan (or a new-password field) opens the menu. */
export function watchFocus(): void {
  document.addEventListener(
    'focusin',
    (e) => {
      const target = e.composedPath()[0];
      if (!(target instanceof HTMLInputElement) || performance.now() < quietUntil) return;
      const plan = currentPlan();
      const planField = plan && (target === plan.username || target === plan.password);
      if (!planField && !isNewPasswordField(target)) return;
      if (!isVisibleField(target)) return;
      void openMenu(target);
    },
    { capture: true },
  );
}
