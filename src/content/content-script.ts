/**
 * Content script (isolated world, every http(s) frame). Announces to the worker that this frame
 * has login fields, and fills only when the worker asks on behalf of a user action. It never asks
 * for credentials on its own: it fetches them only with a request id the worker just issued for
 * this very document, and receives them sealed to a key pair made for that one fill.
 */
import { bytesToJson, wipe } from '../shared/buffer-io';
import { request, viaRuntime } from '../shared/messaging';
import { isAddressedTo, parseMessage } from '../shared/messages';
import { fail, ok, type Result } from '../shared/result';
import { LABELS, createReplyKeyPair, open } from '../shared/seal';
import { fillInput } from './fill-field';
import { countLoginFields, findLoginFields } from './login-fields';
import { onSubmit, prepareOffer } from './save-offer';

let announced = -1;

async function announce(): Promise<void> {
  const count = countLoginFields();
  if (count === announced || (count === 0 && announced === -1)) return;
  announced = count;
  await request(viaRuntime, 'frame.ready', { loginFields: count });
  if (count > 0) prepareOffer();
}

function fillFields(cred: { username: unknown; password: unknown }): Result<{ filled: number }> {
  if (typeof cred.username !== 'string' || typeof cred.password !== 'string') return fail('bad_message');
  // The page may have changed while we waited: look again and fill only what is visible now.
  const now = findLoginFields();
  if (!now) return fail('no_fields');
  let filled = 0;
  if (now.username && cred.username !== '') {
    fillInput(now.username, cred.username);
    filled++;
  }
  fillInput(now.password, cred.password);
  filled++;
  return ok({ filled });
}

/**
 * Not a secure context (plain http on a non-local host): no WebCrypto, so nothing can be sealed to
 * this frame. The worker and the vault give a credential only for an item the user opted in
 * (allowInsecureFill), and it crosses the worker in plaintext — the documented exception.
 */
async function fillWithoutCrypto(requestId: string): Promise<Result<{ filled: number }>> {
  const fetched = await request(viaRuntime, 'fill.fetchPlain', { requestId });
  return fetched.ok ? fillFields(fetched.value) : fetched;
}

async function fill(requestId: string): Promise<Result<{ filled: number }>> {
  const fields = findLoginFields();
  if (!fields) return fail('no_fields');
  if (!globalThis.crypto?.subtle) return fillWithoutCrypto(requestId);
  const keys = await createReplyKeyPair();
  const fetched = await request(viaRuntime, 'fill.fetch', { requestId, replyKey: keys.publicKey });
  if (!fetched.ok) return fetched;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await open(keys.privateKey, fetched.value.sealed, LABELS.fill(requestId));
    return fillFields(bytesToJson(bytes) as { username: unknown; password: unknown });
  } catch {
    return fail('bad_message');
  } finally {
    wipe(bytes);
  }
}

chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
  if (!isAddressedTo(raw, 'content')) return false;
  // Only the extension's own worker reaches this listener through tabs.sendMessage; web pages
  // cannot. Another tab's content script would carry sender.tab: refuse it.
  if (sender.id !== chrome.runtime.id || sender.tab) return false;
  const parsed = parseMessage(raw, 'content', 'worker');
  if (!parsed.ok || parsed.value.type !== 'content.fill') {
    sendResponse(parsed.ok ? fail('unknown_type') : parsed);
    return false;
  }
  fill(parsed.value.payload.requestId).then(sendResponse, () => sendResponse(fail('internal')));
  return true;
});

// Fields that appear later (modal, SPA route): re-check after DOM changes settle. No polling.
let pending: ReturnType<typeof setTimeout> | undefined;
new MutationObserver(() => {
  clearTimeout(pending);
  pending = setTimeout(() => void announce(), 250);
}).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['type', 'style', 'class', 'hidden'] });

document.addEventListener('submit', onSubmit, { capture: true });

void announce();
