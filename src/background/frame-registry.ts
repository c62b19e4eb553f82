/**
 * Frames that announced login fields, per tab: {frameId → documentId, origin}. The origin and
 * documentId come from the browser's `sender` when the content script announced itself, so the
 * popup's list of matching items never depends on a page's claim. Kept in
 * chrome.storage.session (trusted contexts only, the default) so a stopped worker forgets nothing.
 */
export interface FrameEntry {
  frameId: number;
  documentId: string;
  origin: string;
  /** the frame's URL when it announced itself (browser-reported), for starts-with and regex URIs */
  url?: string;
  loginFields: number;
  /** one-time-code fields visible in the frame (absent: announced before codes were detected) */
  codeFields?: number;
}

/** What the offscreen document matches items against: origin, and URL when known. */
export function locationOf(frame: { origin: string; url?: string | undefined }): { origin: string; url?: string } {
  return frame.url === undefined ? { origin: frame.origin } : { origin: frame.origin, url: frame.url };
}

const key = (tabId: number) => `frames:${tabId}`;

export async function framesOf(tabId: number): Promise<FrameEntry[]> {
  const stored = await chrome.storage.session.get(key(tabId));
  const value = stored[key(tabId)] as FrameEntry[] | undefined;
  return Array.isArray(value) ? value : [];
}

export async function recordFrame(tabId: number, entry: FrameEntry): Promise<void> {
  const all = await framesOf(tabId);
  const others = all.filter((f) => f.frameId !== entry.frameId);
  // A new document in the top frame replaces the whole tab's picture (navigation). The same top
  // document announcing again, or a top frame announcing for the first time (probed because only a
  // child frame had fields), keeps the child frames; stale ones cannot be filled (documentId).
  const previousTop = all.find((f) => f.frameId === 0);
  const kept = entry.frameId === 0 && previousTop && previousTop.documentId !== entry.documentId ? [] : others;
  await chrome.storage.session.set({ [key(tabId)]: [...kept, entry] });
}

export async function forgetTab(tabId: number): Promise<void> {
  await chrome.storage.session.remove(key(tabId));
}
