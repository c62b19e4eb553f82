/**
 * Buffer tracking for fills (DESIGN.md §3): every request that will carry a sealed secret gets an
 * id, an owner (tab + frame + documentId, with the frame's origin) and a deadline. An entry is
 * used at most once and drained on reply, expiry, tab close and lock. A worker restart drops the
 * table, which fails the in-flight fill closed — the safe direction.
 */
import { randomBytes, toBase64Url } from '../shared/buffer-io';

export interface FillRequest {
  requestId: string;
  tabId: number;
  frameId: number;
  documentId: string;
  origin: string;
  itemId: string;
  deadline: number;
}

export const FILL_DEADLINE_MS = 10_000;

const table = new Map<string, FillRequest>();

export function openFillRequest(owner: Omit<FillRequest, 'requestId' | 'deadline'>, now = Date.now()): FillRequest {
  drainExpired(now);
  const entry: FillRequest = { ...owner, requestId: toBase64Url(randomBytes(16)), deadline: now + FILL_DEADLINE_MS };
  table.set(entry.requestId, entry);
  return entry;
}

/**
 * Take the entry for `requestId` if the asking frame is its owner. Any mismatch removes it too:
 * a request id that leaked to the wrong frame is burnt, not retried.
 */
export function claimFillRequest(
  requestId: string,
  asker: { tabId: number; frameId: number; documentId: string; origin: string },
  now = Date.now(),
): FillRequest | null {
  const entry = table.get(requestId);
  if (!entry) return null;
  table.delete(requestId);
  const owner =
    entry.tabId === asker.tabId &&
    entry.frameId === asker.frameId &&
    entry.documentId === asker.documentId &&
    entry.origin === asker.origin;
  return owner && now <= entry.deadline ? entry : null;
}

export function closeFillRequest(requestId: string): void {
  table.delete(requestId);
}

export function drainExpired(now = Date.now()): void {
  for (const [id, e] of table) if (e.deadline < now) table.delete(id);
}

export function drainTab(tabId: number): void {
  for (const [id, e] of table) if (e.tabId === tabId) table.delete(id);
}

export function drainAll(): void {
  table.clear();
}

export function pendingCount(): number {
  return table.size;
}
