/**
 * What the worker does for each message it accepts. It relays to the offscreen document and
 * decides fill policy; it never sees a key, the master password or an item's secret fields —
 * those cross it only as sealed envelopes.
 */
import { request, viaRuntime, viaTabFrame } from '../shared/messaging';
import type { AnyMessage, MessageType, Payloads, Response } from '../shared/messages';
import { fail, ok, type Result } from '../shared/result';
import { AUTO_LOCK_ALARM, noteActivity, readSettings, writeSettings } from './auto-lock';
import { claimFillRequest, closeRequest, drainAll, openRequest, pendingCount, type FillKind } from './secret-requests';
import { recordUnlockResult, unlockWaitMs } from './unlock-throttle';
import { framesOf, locationOf, recordFrame, type FrameEntry } from './frame-registry';
import { closeOffscreen, ensureOffscreen, offscreenExists } from './offscreen-lifecycle';
import type { ClassifiedSender } from './sender-policy';
import { decideOffer, ensureTopFrame, fillOnLoad, holdOffer, menuItems, menuPick, pendingOffer, recallStep, rememberStep } from './fill-triggers';

type ContentSender = Extract<ClassifiedSender, { kind: 'content' }>;

/** Ask the offscreen document; if it is gone, the vault is locked (its loss is a lock). */
export async function toOffscreen<K extends MessageType>(type: K, payload: Payloads[K], create = false): Promise<Result<Response<K>>> {
  if (create) await ensureOffscreen();
  else if (!(await offscreenExists())) return fail('locked');
  return request(viaRuntime, type, payload, 'locked');
}

export async function lockVault(): Promise<Result<null>> {
  drainAll();
  await chrome.alarms.clear(AUTO_LOCK_ALARM);
  if (await offscreenExists()) {
    await request(viaRuntime, 'cm.lock', {}, 'locked');
    // Tear the realm down: nothing of the unlocked vault stays reachable on its heap.
    await closeOffscreen();
  }
  return ok(null);
}

async function fillCandidates(tabId: number) {
  await ensureTopFrame(tabId); // autofill: a login only in a same-origin child frame
  const frames = await framesOf(tabId);
  const top = frames.find((f) => f.frameId === 0);
  if (!top) return ok({ origin: null, items: [], codeField: false });
  const matched = await toOffscreen('cm.match', locationOf(top));
  if (!matched.ok) return matched;
  const codeField = frames.some((f) => f.origin === top.origin && fieldsFor(f, 'code') > 0);
  return ok({ origin: top.origin, items: matched.value.items, codeField });
}

// ── fill kinds: the login, or a one-time code ─────────────────────────────────────────────────
export function fieldsFor(frame: FrameEntry, kind: FillKind): number {
  return kind === 'code' ? (frame.codeFields ?? 0) : frame.loginFields;
}

/**
 * The popup's plain Fill (and the keyboard command outside a code field): the login — unless the
 * frames show a one-time-code field and no login field at all (the code step after a login).
 */
export function defaultKind(frames: readonly FrameEntry[]): FillKind {
  const login = frames.some((f) => f.loginFields > 0);
  return !login && frames.some((f) => fieldsFor(f, 'code') > 0) ? 'code' : 'login';
}

/** Ask one frame of one document to fill; it fetches what it fills itself, with this request id. */
export function askFrameToFill(tabId: number, frame: FrameEntry, requestId: string, kind: FillKind): Promise<Result<{ filled: number }>> {
  const send = viaTabFrame(tabId, frame.frameId, frame.documentId);
  return kind === 'code'
    ? request(send, 'content.fillCode', { requestId }, 'tab_unavailable')
    : request(send, 'content.fill', { requestId }, 'tab_unavailable');
}

/**
 * Fill one item into the active tab. Only frames of the top frame's own origin are filled (a
 * cross-origin frame needs the user to pick it: not offered here), and the item must match that
 * origin. The content script then fetches the sealed credential itself, so the worker can bind
 * the answer to the exact document that asked. A code fill (`kind` 'code') goes the same way, into
 * the one-time-code fields of those frames only.
 */
export async function fillItem(tabId: number, itemId: string, kind: FillKind | 'default' = 'default'): Promise<Result<{ filled: number }>> {
  await ensureTopFrame(tabId); // autofill: a login only in a same-origin child frame
  const frames = await framesOf(tabId);
  const top = frames.find((f) => f.frameId === 0);
  if (!top) return fail('no_fields');
  const sameOrigin = frames.filter((f) => f.origin === top.origin);
  const fillKind = kind === 'default' ? defaultKind(sameOrigin) : kind;
  const targets = sameOrigin.filter((f) => fieldsFor(f, fillKind) > 0).sort((a, b) => a.frameId - b.frameId);
  if (targets.length === 0) return fail('no_fields');
  // Ask whether this one item matches the frame (a look-up), not for every candidate (a scan).
  const matched = await toOffscreen('cm.matchItem', { itemId, ...locationOf(top) });
  if (!matched.ok) return matched;
  if (matched.value.match === null) return fail('no_match');
  let lastError: Result<{ filled: number }> = fail('no_fields');
  for (const frame of targets) {
    const entry = openRequest(
      { kind: 'frame', tabId, frameId: frame.frameId, documentId: frame.documentId, origin: frame.origin },
      itemId,
      Date.now(),
      fillKind,
    );
    try {
      const res = await askFrameToFill(tabId, frame, entry.requestId, fillKind);
      if (res.ok && res.value.filled > 0) return res;
      lastError = res.ok ? fail('no_fields') : res;
    } finally {
      closeRequest(entry.requestId);
    }
  }
  return lastError;
}

async function fillFetch(sender: ContentSender, requestId: string, replyKey: string) {
  const entry = claimFillRequest(requestId, sender);
  if (!entry) return fail('expired');
  const sealedFor = { itemId: entry.itemId, ...locationOf(sender), replyKey, requestId };
  return entry.kind === 'code' ? toOffscreen('cm.sealCode', sealedFor) : toOffscreen('cm.sealFill', sealedFor);
}

/** The plaintext exception for frames without WebCrypto; the offscreen document re-checks the opt-in. */
async function fillFetchPlain(sender: ContentSender, requestId: string) {
  const entry = claimFillRequest(requestId, sender);
  if (!entry) return fail('expired');
  // One-time codes are only ever sealed: no plaintext exception for them.
  if (entry.kind === 'code') return fail('insecure_context');
  return toOffscreen('cm.plainFill', { itemId: entry.itemId, origin: sender.origin });
}

/** Reveal/copy/edit: tracked like a fill, owned by the popup document, drained on reply. */
async function revealDetails(id: string, replyKey: string) {
  const entry = openRequest({ kind: 'popup' }, id);
  try {
    return await toOffscreen('cm.details', { id, replyKey });
  } finally {
    closeRequest(entry.requestId);
  }
}

/** Unlock and change-password go through the throttle before any Argon2id work is spent. */
async function throttled<K extends 'cm.unlock' | 'cm.changePassword' | 'cm.setKdf' | 'cm.exportCsv'>(
  type: K,
  payload: Payloads[K],
): Promise<Result<Response<K>>> {
  if ((await unlockWaitMs()) > 0) return fail('throttled');
  const res = await toOffscreen(type, payload, type !== 'cm.exportCsv');
  if (res.ok || res.error === 'wrong_password') await recordUnlockResult(res.ok);
  return res;
}

/** Requests that count as the user using the vault (they push the auto-lock deadline out). */
const ACTIVITY: ReadonlySet<MessageType> = new Set<MessageType>([
  'vault.unlock',
  'items.list',
  'items.add',
  'items.update',
  'items.delete',
  'items.details',
  'clipboard.copy',
  'fill.candidates',
  'fill.item',
  'fill.code',
]);

export async function handleWorkerMessage(msg: AnyMessage, sender: ClassifiedSender): Promise<Result<unknown>> {
  // A list streamed in pages is one use of the vault: its first page counts, the rest do not.
  if (ACTIVITY.has(msg.type) || (msg.type === 'items.page' && msg.payload.snapshot === undefined)) await noteActivity();
  switch (msg.type) {
    case 'vault.status':
      return toOffscreen('cm.status', {}, true);
    case 'vault.transportKey':
      return toOffscreen('cm.transportKey', {}, true);
    case 'vault.create':
      return toOffscreen('cm.create', msg.payload, true);
    case 'vault.unlock':
      return throttled('cm.unlock', msg.payload);
    case 'vault.changePassword':
      return throttled('cm.changePassword', msg.payload);
    case 'vault.setKdf':
      return throttled('cm.setKdf', msg.payload);
    case 'vault.kdf':
      return toOffscreen('cm.kdf', {}, true);
    case 'vault.kdfTime':
      return toOffscreen('cm.kdfTime', msg.payload, true);
    case 'settings.get':
      return ok(await readSettings());
    case 'settings.set':
      return ok(await writeSettings(msg.payload));
    case 'debug.pendingRequests':
      return ok({ count: pendingCount() });
    case 'vault.lock':
      return lockVault();
    case 'items.list':
      return toOffscreen('cm.list', {});
    case 'items.page':
      return toOffscreen('cm.listPage', msg.payload);
    case 'items.add':
      return toOffscreen('cm.add', msg.payload);
    case 'items.update':
      return toOffscreen('cm.update', msg.payload);
    case 'items.delete':
      return toOffscreen('cm.delete', msg.payload);
    case 'items.details':
      return revealDetails(msg.payload.id, msg.payload.replyKey);
    case 'clipboard.copy': {
      const { clipboardClearSeconds } = await readSettings();
      // Test hook, like autoLockTestMs: a shorter delay set in storage.local by e2e tests only.
      const { clipboardClearTestMs } = await chrome.storage.local.get('clipboardClearTestMs');
      const clearAfterMs = typeof clipboardClearTestMs === 'number' ? clipboardClearTestMs : clipboardClearSeconds * 1000;
      return toOffscreen('cm.copy', { ...msg.payload, clearAfterMs });
    }
    case 'import.preview':
      return toOffscreen('cm.importPreview', msg.payload);
    case 'import.commit':
      return toOffscreen('cm.importCommit', msg.payload);
    case 'export.encrypted':
      return toOffscreen('cm.exportEncrypted', msg.payload);
    case 'export.csv':
      return throttled('cm.exportCsv', msg.payload);
    case 'items.health':
      return toOffscreen('cm.health', {});
    case 'fill.candidates':
      return fillCandidates(msg.payload.tabId);
    case 'fill.item':
      return fillItem(msg.payload.tabId, msg.payload.itemId);
    case 'fill.code':
      return fillItem(msg.payload.tabId, msg.payload.itemId, 'code');
    case 'frame.ready':
      if (sender.kind !== 'content') return fail('bad_sender');
      await recordFrame(sender.tabId, {
        frameId: sender.frameId,
        documentId: sender.documentId,
        origin: sender.origin,
        ...(sender.url === undefined ? {} : { url: sender.url }),
        loginFields: msg.payload.loginFields,
        codeFields: msg.payload.codeFields ?? 0,
      });
      return ok(null);
    case 'fill.fetch':
      if (sender.kind !== 'content') return fail('bad_sender');
      return fillFetch(sender, msg.payload.requestId, msg.payload.replyKey);
    case 'fill.fetchPlain':
      if (sender.kind !== 'content') return fail('bad_sender');
      return fillFetchPlain(sender, msg.payload.requestId);
    // autofill: username-first steps (src/background/fill-triggers.ts)
    case 'step.remember':
      return sender.kind === 'content' ? rememberStep(sender, msg.payload.username) : fail('bad_sender');
    case 'step.recall':
      return sender.kind === 'content' ? recallStep(sender) : fail('bad_sender');
    case 'save.transportKey':
      return toOffscreen('cm.transportKey', {}, true);
    case 'save.offer':
      return sender.kind === 'content' ? holdOffer(sender, msg.payload.sealed) : fail('bad_sender');
    case 'save.pending':
      return sender.kind === 'content' ? pendingOffer(sender, msg.payload.loginForm) : fail('bad_sender');
    case 'fill.onLoad':
      return sender.kind === 'content' ? fillOnLoad(sender) : fail('bad_sender');
    case 'menu.items':
      return sender.kind === 'content' ? menuItems(sender) : fail('bad_sender');
    case 'menu.pick':
      return sender.kind === 'content' ? menuPick(sender, msg.payload.token) : fail('bad_sender');
    case 'save.decide':
      return sender.kind === 'content' ? decideOffer(sender, msg.payload.offerId, msg.payload.choice) : fail('bad_sender');
    default:
      return fail('unknown_type');
  }
}
