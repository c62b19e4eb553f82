/**
 * Trust decisions have one home: classify who sent a message from what the browser says about
 * the sender (`sender.id`, exact extension page URLs, `sender.tab`, `sender.frameId`,
 * `sender.documentId`, `sender.origin`) — never from anything in the message. The per-type table
 * of which kind may send what is CONTRACT in src/shared/messages.ts; unknown senders fail closed.
 */
export const POPUP_PAGE = 'src/popup/index.html';
export const OFFSCREEN_PAGE = 'src/offscreen/offscreen.html';

export type ClassifiedSender =
  | { kind: 'popup' }
  | { kind: 'offscreen' }
  | {
      kind: 'content';
      tabId: number;
      frameId: number;
      documentId: string;
      origin: string;
      /** the frame's URL as the browser reports it (for starts-with and regex URIs); absent when over 2048 characters */
      url?: string;
    };

/** The page URL without query or fragment (`URL.origin` is "null" for non-special schemes outside Chromium). */
function pageOf(url: string): string {
  return url.split(/[?#]/, 1)[0] ?? '';
}

export function classifySender(sender: chrome.runtime.MessageSender): ClassifiedSender | null {
  if (sender.id !== chrome.runtime.id || typeof sender.url !== 'string') return null;
  const extensionOrigin = chrome.runtime.getURL('');
  if (sender.url.startsWith(extensionOrigin)) {
    const page = pageOf(sender.url);
    // A popup opened as a tab has sender.tab, the real popup has none: decide by URL only.
    if (page === chrome.runtime.getURL(POPUP_PAGE)) return { kind: 'popup' };
    if (page === chrome.runtime.getURL(OFFSCREEN_PAGE) && !sender.tab) return { kind: 'offscreen' };
    return null;
  }
  const tabId = sender.tab?.id;
  if (
    typeof tabId === 'number' &&
    tabId >= 0 &&
    typeof sender.frameId === 'number' &&
    typeof sender.documentId === 'string' &&
    typeof sender.origin === 'string'
  ) {
    const url = sender.url.length <= 2048 ? { url: sender.url } : {};
    return { kind: 'content', tabId, frameId: sender.frameId, documentId: sender.documentId, origin: sender.origin, ...url };
  }
  return null;
}
