/**
 * Clickjacking guard for in-page UI (save bar, inline menu): THREATS.md §B; Tóth, "DOM-based
 * Extension Clickjacking", DEF CON 33 (2025). Our UI lives in a closed shadow root whose host is
 * in the page's DOM, so the page can restyle, cover or move it. A click acts only when:
 *  - it is trusted (a real user gesture, not dispatchEvent/click());
 *  - the UI has been shown, unmoved, for at least MIN_DWELL_MS (no flash-then-click tricks);
 *  - the host and the clicked control are fully visible (every ancestor's opacity, visibility,
 *    clip, size: field-visibility.ts), untransformed (a page `transform: scale(.1)` on the host
 *    shrinks it without changing its layout size) and at full opacity;
 *  - `document.elementsFromPoint` at the click position hits our host first;
 *  - no page element is in the top layer (open modal dialog, fullscreen, an open popover
 *    overlapping us) — such an element can sit above us with `pointer-events: none`;
 *  - the anchored field (inline menu) has not moved since the UI was shown.
 */
import { logEvent } from '../shared/log';
import { isVisibleField } from './field-visibility';

export const MIN_DWELL_MS = 500;

export interface Shown {
  host: HTMLElement;
  shownAt: number;
  hostRect: DOMRect;
  anchor?: { el: HTMLElement; rect: DOMRect };
}

const sameRect = (a: DOMRect, b: DOMRect) =>
  Math.abs(a.left - b.left) < 1 && Math.abs(a.top - b.top) < 1 && Math.abs(a.width - b.width) < 1 && Math.abs(a.height - b.height) < 1;

function fullyOpaqueChain(el: Element): boolean {
  for (let n: Element | null = el; n; n = n.parentElement ?? ((n.getRootNode() as ShadowRoot).host ?? null)) {
    const st = getComputedStyle(n);
    if (Number.parseFloat(st.opacity) < 1 || st.filter !== 'none' || st.visibility !== 'visible' || st.mixBlendMode !== 'normal') return false;
    if (n === n.ownerDocument.documentElement) break;
  }
  return true;
}

function overlaps(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function pageTopLayerAbove(host: HTMLElement): boolean {
  if (document.fullscreenElement) return true;
  try {
    if (document.querySelector(':modal')) return true;
    const hostRect = host.getBoundingClientRect();
    for (const el of document.querySelectorAll(':popover-open')) {
      if (el !== host && overlaps(el.getBoundingClientRect(), hostRect)) return true;
    }
  } catch {
    return true; // selector unsupported: fail closed
  }
  return false;
}

/** Why a click must be refused, or null when it may act. */
export function refuseClick(event: MouseEvent, control: HTMLElement, shown: Shown, now = performance.now()): string | null {
  if (!event.isTrusted) return 'untrusted';
  if (now - shown.shownAt < MIN_DWELL_MS) return 'too-soon';
  const { host } = shown;
  if (!host.isConnected || !isVisibleField(host) || !isVisibleField(control)) return 'hidden';
  // Our host is shown as a popover (top layer); a page that closes it pushes us back among its content.
  if (host.hasAttribute('popover') && !host.matches(':popover-open')) return 'not-top-layer';
  if (!fullyOpaqueChain(control)) return 'transparent';
  const st = getComputedStyle(host);
  if (st.transform !== 'none' || st.scale !== 'none' || st.rotate !== 'none' || st.clipPath !== 'none') return 'transformed';
  const rect = host.getBoundingClientRect();
  if (!sameRect(rect, shown.hostRect) || Math.abs(rect.width - host.offsetWidth) > 1 || Math.abs(rect.height - host.offsetHeight) > 1) return 'moved';
  if (shown.anchor && !sameRect(shown.anchor.el.getBoundingClientRect(), shown.anchor.rect)) return 'field-moved';
  if (shown.anchor && !isVisibleField(shown.anchor.el)) return 'field-hidden';
  const c = control.getBoundingClientRect();
  if (event.clientX < c.left || event.clientX > c.right || event.clientY < c.top || event.clientY > c.bottom) return 'outside';
  const hit = document.elementsFromPoint(event.clientX, event.clientY)[0];
  if (hit !== host) return 'covered';
  if (pageTopLayerAbove(host)) return 'top-layer';
  return null;
}

/**
 * Wire one in-page button through the guard: it is checked on pointerdown *and* on click (a page
 * that shows us only at the moment of the click fails both), and `onAccept` runs only when both
 * passed. `shown` returns the UI's current state, or null once it is closed. `tag` names the UI in
 * the security log ("bar", "menu").
 */
export function guardButton(button: HTMLElement, shown: () => Shown | null, tag: string, onAccept: () => void): void {
  let armed = false;
  button.addEventListener('pointerdown', (e) => {
    const s = shown();
    const why = s ? refuseClick(e, button, s) : 'closed';
    armed = why === null;
    if (why) logEvent('content', `${tag}.refused.${why}`);
  });
  button.addEventListener('click', (e) => {
    e.stopPropagation();
    const s = shown();
    if (!s) return;
    const why = armed ? refuseClick(e, button, s) : 'not-armed';
    armed = false;
    if (why) {
      logEvent('content', `${tag}.refused.${why}`);
      return;
    }
    onAccept();
  });
}
