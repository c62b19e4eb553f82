/**
 * The offscreen document answers the extension's own service worker and nobody else
 * (DESIGN.md §1 rule 1). `chrome.runtime.sendMessage` from a popup or a content script reaches
 * this document too, so every message is checked against the exact worker script URL.
 *
 * An offscreen document's `chrome.runtime` has no getManifest() or getURL() (Chromium 156), so
 * the script path is a constant: @crxjs/vite-plugin always emits the worker entry as
 * `service-worker-loader.js` (a unit test checks the built manifest says the same).
 */
export const SERVICE_WORKER_SCRIPT = 'service-worker-loader.js';

export function isOwnServiceWorker(sender: chrome.runtime.MessageSender, selfOrigin = location.origin): boolean {
  if (sender.id !== chrome.runtime.id || sender.tab || typeof sender.url !== 'string') return false;
  return sender.url === `${selfOrigin}/${SERVICE_WORKER_SCRIPT}`;
}
