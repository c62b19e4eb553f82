/**
 * Fill triggers outside the popup — the keyboard command `fill-login` and the context-menu item
 * "Fill with SecureVault" on editable fields — decided by one policy (DESIGN.md §5, THREATS.md §A,
 * §C), the same facts the popup's Fill uses:
 *  - the frame's origin comes from the frame registry, which recorded `sender.origin` when the
 *    frame's content script announced itself; never from a URL the page or the event supplies;
 *  - locked → open the popup to unlock; never fill, never list;
 *  - exactly one *exact-origin* item → fill it (several: the one whose username the user just
 *    typed in a username-first step, if that singles one out); otherwise open the popup so the
 *    user picks (same-site items are only ever filled by an explicit pick there);
 *  - a context-menu click inside a cross-origin frame counts as the user picking that frame: only
 *    that frame is filled, and only with an item matching *its own* origin — never username in one
 *    frame and password in another.
 * Also: the username-first memory (per tab and origin, a few minutes, chrome.storage.session).
 */
import { request, viaTabFrame } from '../shared/messaging';
import { fail, ok, type Result } from '../shared/result';
import { logEvent } from '../shared/log';
import { noteActivity } from './auto-lock';
import { forgetTab, framesOf, type FrameEntry } from './frame-registry';
import { closeRequest, openRequest } from './secret-requests';
import type { ClassifiedSender } from './sender-policy';
import { fillItem, toOffscreen } from './vault-handlers';

export const FILL_COMMAND = 'fill-login';
export const FILL_MENU_ID = 'securevault-fill';
const STEP_TTL_MS = 5 * 60_000;

type ContentSender = Extract<ClassifiedSender, { kind: 'content' }>;
export type TriggerOutcome = { outcome: 'filled'; filled: number } | { outcome: 'popup' };

// ── username-first memory ─────────────────────────────────────────────────────────────────────
const stepKey = (tabId: number) => `step:${tabId}`;
interface StepEntry {
  origin: string;
  username: string;
  at: number;
}

export async function rememberStep(sender: ContentSender, username: string): Promise<Result<null>> {
  const entry: StepEntry = { origin: sender.origin, username, at: Date.now() };
  await chrome.storage.session.set({ [stepKey(sender.tabId)]: entry });
  return ok(null);
}

async function stepFor(tabId: number, origin: string): Promise<string | null> {
  const stored = (await chrome.storage.session.get(stepKey(tabId)))[stepKey(tabId)] as StepEntry | undefined;
  if (!stored || stored.origin !== origin || Date.now() - stored.at > STEP_TTL_MS) return null;
  return stored.username;
}

/** Only the same tab and the same origin (both from `sender`) read the username back. */
export async function recallStep(sender: ContentSender): Promise<Result<{ username: string | null }>> {
  return ok({ username: await stepFor(sender.tabId, sender.origin) });
}

export async function forgetSteps(tabId: number): Promise<void> {
  await chrome.storage.session.remove(stepKey(tabId));
}

// ── frames ────────────────────────────────────────────────────────────────────────────────────
/**
 * The top frame announces itself only when it has fields of its own. When only a child frame
 * does, ask the top frame to announce (its origin and documentId then come from `sender`).
 */
export async function ensureTopFrame(tabId: number): Promise<void> {
  // Always ask the tab's current top document to announce itself: the registry may still hold a
  // document the tab has navigated away from (a page without login fields announces nothing on
  // its own). The reply carries nothing we trust; the announcement it causes does (frame.ready,
  // classified from `sender`), and a new top document replaces the tab's whole entry.
  // eslint-disable-next-line no-restricted-syntax -- request() below wraps it: never throws, reply checked
  const probed = await request((m) => chrome.tabs.sendMessage(tabId, m, { frameId: 0 }), 'content.probe', {}, 'tab_unavailable');
  // No content script answers (a browser page, a PDF, a tab still loading): forget what we knew.
  if (!probed.ok) await forgetTab(tabId);
}

/** Fill one frame the user picked, with an item already matched against that frame's own origin. */
async function fillFrame(tabId: number, frame: FrameEntry, itemId: string): Promise<Result<{ filled: number }>> {
  const entry = openRequest({ kind: 'frame', tabId, frameId: frame.frameId, documentId: frame.documentId, origin: frame.origin }, itemId);
  try {
    return await request(viaTabFrame(tabId, frame.frameId, frame.documentId), 'content.fill', { requestId: entry.requestId }, 'tab_unavailable');
  } finally {
    closeRequest(entry.requestId);
  }
}

async function openPopupForChoice(reason: string): Promise<Result<TriggerOutcome>> {
  logEvent('worker', `trigger.popup.${reason}`);
  try {
    await chrome.action.openPopup();
  } catch {
    // No focused window (or the popup is already open): the user can still click the toolbar icon.
  }
  return ok({ outcome: 'popup' });
}

// ── the one policy ────────────────────────────────────────────────────────────────────────────
/**
 * @param pickedFrameId the frame the user acted in (context menu), or undefined (keyboard command:
 *   the tab's top frame and its same-origin frames, like the popup's Fill).
 */
export async function fillFromTrigger(tabId: number, pickedFrameId?: number): Promise<Result<TriggerOutcome>> {
  const status = await toOffscreen('cm.status', {});
  if (!status.ok || !status.value.unlocked) return openPopupForChoice('locked');
  await ensureTopFrame(tabId);
  const frames = await framesOf(tabId);
  const top = frames.find((f) => f.frameId === 0);
  if (!top) return fail('no_fields');
  let picked: FrameEntry | undefined;
  if (pickedFrameId !== undefined && pickedFrameId !== 0) {
    picked = frames.find((f) => f.frameId === pickedFrameId);
    if (!picked || picked.loginFields === 0) return fail('no_fields'); // nothing fillable where the user clicked
  }
  const crossOrigin = picked !== undefined && picked.origin !== top.origin;
  const origin = crossOrigin && picked ? picked.origin : top.origin;
  const matched = await toOffscreen('cm.match', { origin });
  if (!matched.ok) return matched;
  const exact = matched.value.items.filter((i) => i.match === 'exact');
  let chosen = exact.length === 1 ? exact[0] : undefined;
  if (!chosen && exact.length > 1) {
    const typed = await stepFor(tabId, origin);
    const same = typed === null ? [] : exact.filter((i) => i.username === typed);
    if (same.length === 1) chosen = same[0];
  }
  if (!chosen) return openPopupForChoice(exact.length === 0 ? 'no-exact-item' : 'several-items');
  await noteActivity();
  const res = crossOrigin && picked ? await fillFrame(tabId, picked, chosen.id) : await fillItem(tabId, chosen.id);
  return res.ok ? ok({ outcome: 'filled', filled: res.value.filled }) : res;
}

export async function onFillCommand(command: string, tab?: chrome.tabs.Tab): Promise<Result<TriggerOutcome> | null> {
  if (command !== FILL_COMMAND || typeof tab?.id !== 'number' || tab.id < 0) return null;
  return fillFromTrigger(tab.id);
}

export async function onContextMenuClicked(info: chrome.contextMenus.OnClickData, tab?: chrome.tabs.Tab): Promise<Result<TriggerOutcome> | null> {
  if (info.menuItemId !== FILL_MENU_ID || typeof tab?.id !== 'number' || tab.id < 0) return null;
  return fillFromTrigger(tab.id, typeof info.frameId === 'number' ? info.frameId : 0);
}

export function installContextMenu(): void {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({
      id: FILL_MENU_ID,
      title: 'Fill with SecureVault',
      contexts: ['editable'],
      documentUrlPatterns: ['http://*/*', 'https://*/*'],
    });
  });
}
