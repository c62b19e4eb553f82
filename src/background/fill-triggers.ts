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
 *    frame and password in another;
 *  - what is filled is the login, or the item's current one-time code when the focused field is a
 *    one-time-code field (or the page shows such a field and no login field): the same request
 *    table, sealing and origin checks either way (vault-handlers.ts `fillItem`).
 * Also: the username-first memory (per tab and origin, a few minutes, chrome.storage.session).
 */
import { randomBytes, toBase64Url } from '../shared/buffer-io';
import type { MenuList, SavePromptView } from '../shared/messages';
import { maskUsername } from '../shared/mask';
import { request, viaTabFrame } from '../shared/messaging';
import { matchOrigin, parseOrigin } from '../shared/origin-match';
import { fail, ok, type Result } from '../shared/result';
import { logEvent } from '../shared/log';
import { noteActivity } from './auto-lock';
import { forgetTab, framesOf, locationOf, type FrameEntry } from './frame-registry';
import { closeRequest, openRequest, type FillKind } from './secret-requests';
import type { ClassifiedSender } from './sender-policy';
import { askFrameToFill, defaultKind, fieldsFor, fillItem, toOffscreen } from './vault-handlers';

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
async function fillFrame(tabId: number, frame: FrameEntry, itemId: string, kind: FillKind = 'login'): Promise<Result<{ filled: number }>> {
  const owner = { kind: 'frame', tabId, frameId: frame.frameId, documentId: frame.documentId, origin: frame.origin } as const;
  const entry = openRequest(owner, itemId, Date.now(), kind);
  try {
    return await askFrameToFill(tabId, frame, entry.requestId, kind);
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

/**
 * A code when the user acted in a one-time-code field — asked of the frames that have one, now,
 * since only the page knows its focus — else the default (the login, or the code on a page that
 * shows a code field and no login field). The answer only picks between two fills the user may
 * have anyway: the item and the frames are decided below from `sender` facts as always.
 */
async function triggerKind(tabId: number, frames: readonly FrameEntry[]): Promise<FillKind> {
  for (const frame of frames) {
    if (fieldsFor(frame, 'code') === 0) continue;
    const focus = await request(viaTabFrame(tabId, frame.frameId, frame.documentId), 'content.focus', {}, 'tab_unavailable');
    if (focus.ok && focus.value.code) return 'code';
  }
  return defaultKind(frames);
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
    // nothing fillable where the user clicked
    if (!picked || (picked.loginFields === 0 && fieldsFor(picked, 'code') === 0)) return fail('no_fields');
  }
  const crossOrigin = picked !== undefined && picked.origin !== top.origin;
  const frame = crossOrigin && picked ? picked : top;
  const origin = frame.origin;
  const kind = await triggerKind(tabId, picked ? [picked] : frames.filter((f) => f.origin === top.origin));
  const matched = await toOffscreen('cm.match', locationOf(frame));
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
  const res = crossOrigin && picked ? await fillFrame(tabId, picked, chosen.id, kind) : await fillItem(tabId, chosen.id, kind);
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
      title: chrome.i18n.getMessage('menu_fill') || 'SecureVault',
      contexts: ['editable'],
      documentUrlPatterns: ['http://*/*', 'https://*/*'],
    });
  });
}

// ── save and update prompts ───────────────────────────────────────────────────────────────────
/**
 * A submitted login is *held* here, sealed (the worker cannot read it), one per tab, until the
 * user decides in the save bar: nothing is saved without a click on Save or Update.
 *  - When the bar shows: only once the login went through — the submitting document saw its form
 *    go away or its route change (it then asks with `save.pending`), or the tab loaded a new top
 *    document of the same site (we ask it with `content.savePrompt`). A new document that shows a
 *    login form again after a *login* (not a signup) was submitted is a rejected login: the offer is
 *    dropped. The submitting document drops it too (`dismiss`) when its form stays for 10 s.
 *  - What the page learns: `save.offer` and `save.pending` answer the same whether the vault
 *    knows the login, the site is on the Never list, or nothing is held; only a shown bar (its
 *    host element, nothing readable inside) differs.
 *  - "Never for this site" is kept in chrome.storage.local as salted SHA-256 hashes of the origin
 *    (works while locked; no plaintext URL at rest — a dictionary of origins can still test it).
 */
const offerKey = (tabId: number) => `offer:${tabId}`;
const OFFER_TTL_MS = 2 * 60_000;
const NEVER_KEY = 'neverSave:v1';

interface HeldOffer {
  offerId: string;
  sealed: { epk: string; iv: string; ct: string };
  /** the submitting frame's origin (from `sender`): what the login is saved for */
  origin: string;
  /** the tab's top-frame origin when submitted: the bar shows only in a top document of this site */
  topOrigin: string;
  documentId: string;
  frameId: number;
  at: number;
  /** the top document the bar was shown in (it alone may decide) */
  shownIn?: string;
}

async function heldOffer(tabId: number): Promise<HeldOffer | null> {
  const stored = (await chrome.storage.session.get(offerKey(tabId)))[offerKey(tabId)] as HeldOffer | undefined;
  if (!stored || Date.now() - stored.at > OFFER_TTL_MS) return null;
  return stored;
}

async function neverHash(origin: string, salt: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${salt}|${origin}`));
  return toBase64Url(new Uint8Array(digest));
}

async function neverList(): Promise<{ salt: string; hashes: string[] }> {
  const stored = (await chrome.storage.local.get(NEVER_KEY))[NEVER_KEY] as { salt: string; hashes: string[] } | undefined;
  return stored && typeof stored.salt === 'string' && Array.isArray(stored.hashes) ? stored : { salt: toBase64Url(randomBytes(16)), hashes: [] };
}

export async function isNeverSave(origin: string): Promise<boolean> {
  const list = await neverList();
  return list.hashes.includes(await neverHash(origin, list.salt));
}

async function addNeverSave(origin: string): Promise<void> {
  const list = await neverList();
  const h = await neverHash(origin, list.salt);
  if (!list.hashes.includes(h)) await chrome.storage.local.set({ [NEVER_KEY]: { salt: list.salt, hashes: [...list.hashes, h].slice(-1000) } });
}

/** content → worker: a login was submitted (sealed to the offscreen document). Held, not saved. */
export async function holdOffer(sender: ContentSender, sealed: HeldOffer['sealed']): Promise<Result<null>> {
  if (await isNeverSave(sender.origin)) return ok(null);
  const top = sender.frameId === 0 ? sender.origin : (await framesOf(sender.tabId)).find((f) => f.frameId === 0)?.origin;
  const offer: HeldOffer = {
    offerId: toBase64Url(randomBytes(16)),
    sealed,
    origin: sender.origin,
    topOrigin: top ?? sender.origin,
    documentId: sender.documentId,
    frameId: sender.frameId,
    at: Date.now(),
  };
  // One per tab: the same submission seen as submit + click + Enter replaces, never adds.
  await chrome.storage.session.set({ [offerKey(sender.tabId)]: offer });
  return ok(null);
}

async function dropOffer(tabId: number): Promise<void> {
  await chrome.storage.session.remove(offerKey(tabId));
}

/** content (top frame) → worker: the bar to show in this document, if any. */
export async function pendingOffer(sender: ContentSender, loginForm: boolean): Promise<Result<{ offer: SavePromptView | null }>> {
  const none = ok({ offer: null });
  if (sender.frameId !== 0) return none;
  const offer = await heldOffer(sender.tabId);
  if (!offer) return none;
  if (offer.shownIn !== undefined && offer.shownIn !== sender.documentId) {
    await dropOffer(sender.tabId); // shown in a document that is gone without a choice
    return none;
  }
  if (!matchOrigin(offer.topOrigin, 'site', sender.origin)) return none; // another site: not here
  const status = await toOffscreen('cm.offerStatus', { sealed: offer.sealed, origin: offer.origin }, true);
  if (!status.ok || status.value.status === 'known') {
    await dropOffer(sender.tabId);
    return none;
  }
  // A new document that shows a login form again after a login was submitted: rejected login.
  const newDocument = sender.documentId !== offer.documentId;
  if (newDocument && loginForm && status.value.kind === 'login' && offer.shownIn === undefined) {
    logEvent('worker', 'save.rejected-login');
    await dropOffer(sender.tabId);
    return none;
  }
  await chrome.storage.session.set({ [offerKey(sender.tabId)]: { ...offer, shownIn: sender.documentId } });
  return ok({
    offer: {
      offerId: offer.offerId,
      action: status.value.status === 'update' ? 'update' : 'save',
      locked: status.value.status === 'locked',
      host: parseOrigin(offer.origin)?.host ?? '',
      maskedUsername: status.value.maskedUsername,
    },
  });
}

/** content → worker: Save/Update, Never, or dismiss. Only the document that shows the bar may save. */
export async function decideOffer(sender: ContentSender, offerId: string | undefined, choice: 'save' | 'never' | 'dismiss'): Promise<Result<{ saved: boolean }>> {
  const offer = await heldOffer(sender.tabId);
  if (!offer) return ok({ saved: false });
  const fromBar = sender.frameId === 0 && offer.shownIn === sender.documentId && offerId === offer.offerId;
  const fromSubmitter = offer.shownIn === undefined && sender.documentId === offer.documentId && sender.frameId === offer.frameId;
  if (choice === 'dismiss' ? !(fromBar || fromSubmitter) : !fromBar) return fail('not_allowed');
  await dropOffer(sender.tabId);
  if (choice === 'never') await addNeverSave(offer.origin);
  if (choice !== 'save') return ok({ saved: false });
  await noteActivity();
  const res = await toOffscreen('cm.saveOffer', { sealed: offer.sealed, origin: offer.origin }, true);
  return res.ok ? ok({ saved: res.value.queued }) : res;
}

/** A new top document finished loading in a tab that holds an offer: ask it whether to show the bar. */
export async function promptAfterNavigation(tabId: number): Promise<void> {
  if (!(await heldOffer(tabId))) return;
  // document_idle content scripts may run just after "complete": retry briefly.
  for (let i = 0; i < 5; i++) {
    // eslint-disable-next-line no-restricted-syntax -- request() wraps it: never throws, reply checked
    const res = await request((m) => chrome.tabs.sendMessage(tabId, m, { frameId: 0 }), 'content.savePrompt', {}, 'tab_unavailable');
    if (res.ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
}

// Registered at module load (this module is imported statically by the service worker, so the
// listener exists on every worker start, as MV3 requires).
chrome.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status === 'complete') void promptAfterNavigation(tabId);
});
chrome.tabs.onRemoved.addListener((tabId) => void dropOffer(tabId));

// ── inline menu ───────────────────────────────────────────────────────────────────────────────
/**
 * The in-field menu of a frame: items matching the frame's *own* origin (from `sender`), shown
 * by title and masked username; each entry carries a one-time token, not the item id, valid only
 * for this tab, frame, document and origin for a few minutes. A pick fills that frame through the
 * same path as the context menu (a request id bound to the documentId; the origin matched again in
 * the offscreen document). Locked → no list at all: the menu tells the user to unlock in the
 * toolbar button.
 */
const menuKey = (tabId: number) => `menu:${tabId}`;
const MENU_TTL_MS = 5 * 60_000;

interface MenuRecord {
  frameId: number;
  documentId: string;
  origin: string;
  at: number;
  tokens: Record<string, string>;
}

export async function menuItems(sender: ContentSender): Promise<Result<MenuList>> {
  const status = await toOffscreen('cm.status', {});
  if (!status.ok || !status.value.unlocked) return ok({ locked: true, items: [] });
  const matched = await toOffscreen('cm.match', locationOf(sender));
  if (!matched.ok) return matched;
  const tokens: Record<string, string> = Object.create(null) as Record<string, string>;
  const items: MenuList['items'] = [];
  for (const c of matched.value.items.slice(0, 20)) {
    const token = toBase64Url(randomBytes(16));
    tokens[token] = c.id;
    // A wider match always carries what it was saved for: a host, or (a pattern) the pattern itself, shortened.
    const savedHost = c.match === 'site' ? (parseOrigin(c.savedOrigin)?.host || c.savedOrigin.slice(0, 60) || '?') : undefined;
    items.push({ token, title: c.title.slice(0, 80), maskedUsername: maskUsername(c.username), ...(savedHost === undefined ? {} : { savedHost }) });
  }
  const record: MenuRecord = { frameId: sender.frameId, documentId: sender.documentId, origin: sender.origin, at: Date.now(), tokens };
  await chrome.storage.session.set({ [menuKey(sender.tabId)]: record });
  return ok({ locked: false, items });
}

export async function menuPick(sender: ContentSender, token: string): Promise<Result<{ filled: number }>> {
  const record = (await chrome.storage.session.get(menuKey(sender.tabId)))[menuKey(sender.tabId)] as MenuRecord | undefined;
  if (
    !record ||
    Date.now() - record.at > MENU_TTL_MS ||
    record.frameId !== sender.frameId ||
    record.documentId !== sender.documentId ||
    record.origin !== sender.origin
  ) {
    return fail('expired');
  }
  const itemId = Object.prototype.hasOwnProperty.call(record.tokens, token) ? record.tokens[token] : undefined;
  await chrome.storage.session.remove(menuKey(sender.tabId)); // tokens are single-use
  if (!itemId) return fail('not_found');
  await noteActivity();
  return fillFrame(sender.tabId, { frameId: sender.frameId, documentId: sender.documentId, origin: sender.origin, loginFields: 1 }, itemId);
}

// ── fill on page load (opt-in per item) ───────────────────────────────────────────────────────
/**
 * THREATS.md §A allows a fill without a user action only as an opt-in: the item says
 * `fillOnPageLoad`, the frame is the tab's *top* frame (a cross-origin frame is never filled
 * unless the user picks it; a same-origin child frame waits for a user action too), the frame's
 * origin (from `sender`) equals the item's saved origin exactly, and exactly one such item exists.
 * The content script then fills only visible fields (form-model.ts); the offscreen document
 * matches the origin again before sealing.
 */
export async function fillOnLoad(sender: ContentSender): Promise<Result<{ filled: number }>> {
  if (sender.frameId !== 0) return fail('not_allowed');
  const status = await toOffscreen('cm.status', {});
  if (!status.ok || !status.value.unlocked) return fail('locked');
  const found = await toOffscreen('cm.onLoadItem', { origin: sender.origin });
  if (!found.ok) return found;
  if (found.value.itemId === null) return fail('no_match');
  logEvent('worker', 'fill.on-load');
  return fillFrame(sender.tabId, { frameId: 0, documentId: sender.documentId, origin: sender.origin, loginFields: 1 }, found.value.itemId);
}
