/**
 * Service worker "SecureVault": router, policy, buffer tracking, lifecycle. It relays; it never
 * holds a key or a plaintext secret. Listeners are one-line delegates to named handlers.
 *
 * Chromium may stop this worker at any moment; nothing that matters lives only in its globals
 * (frames are in chrome.storage.session, the vault and its lock state in the offscreen document).
 */
import { isAddressedTo, parseMessage } from '../shared/messages';
import { logEvent } from '../shared/log';
import { fail } from '../shared/result';
import { drainTab } from './fill-requests';
import { forgetTab } from './frame-registry';
import { classifySender } from './sender-policy';
import { handleWorkerMessage } from './vault-handlers';

function onMessage(raw: unknown, sender: chrome.runtime.MessageSender, sendResponse: (r: unknown) => void): boolean {
  if (!isAddressedTo(raw, 'worker')) return false;
  const who = classifySender(sender);
  if (!who) {
    logEvent('worker', 'refused', 'bad_sender');
    sendResponse(fail('bad_sender'));
    return false;
  }
  const parsed = parseMessage(raw, 'worker', who.kind);
  if (!parsed.ok) {
    logEvent('worker', 'refused', parsed.error);
    sendResponse(parsed);
    return false;
  }
  handleWorkerMessage(parsed.value, who).then(sendResponse, () => sendResponse(fail('internal')));
  return true;
}

function onTabRemoved(tabId: number): void {
  drainTab(tabId);
  void forgetTab(tabId);
}

chrome.runtime.onMessage.addListener(onMessage);
chrome.tabs.onRemoved.addListener(onTabRemoved);
