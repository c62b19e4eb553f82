/**
 * Buffer tracking (DESIGN.md §3): every request that will carry a sealed secret gets an id, an
 * owner and a deadline — a frame (tab + frame + documentId, with its origin) for fills, the popup
 * document for reveals. An entry is used at most once and drained on reply, expiry, tab close or
 * navigation, and lock. At idle the table is empty (`pendingCount`, read by a test through the
 * `debug.pendingRequests` message). A worker restart drops the table, which fails in-flight
 * requests closed — the safe direction.
 */
import { randomBytes, toBase64Url } from '../shared/buffer-io';

export interface FrameOwner {
  kind: 'frame';
  tabId: number;
  frameId: number;
  documentId: string;
  origin: string;
}

export type Owner = FrameOwner | { kind: 'popup' };

/** What a fill puts into the frame: the login (username, password) or the item's current one-time code. */
export type FillKind = 'login' | 'code';

export interface SecretRequest {
  requestId: string;
  owner: Owner;
  itemId: string;
  deadline: number;
  /** decided when the request is opened; `fill.fetch` is answered with this kind and no other */
  kind: FillKind;
}

export const REQUEST_DEADLINE_MS = 10_000;

const table = new Map<string, SecretRequest>();

export function openRequest(owner: Owner, itemId: string, now = Date.now(), kind: FillKind = 'login'): SecretRequest {
  drainExpired(now);
  const entry: SecretRequest = { requestId: toBase64Url(randomBytes(16)), owner, itemId, deadline: now + REQUEST_DEADLINE_MS, kind };
  table.set(entry.requestId, entry);
  return entry;
}

/**
 * Take a fill entry if the asking frame is its owner. Any mismatch removes it too: a request id
 * that reached the wrong frame is burnt, not retried.
 */
export function claimFillRequest(
  requestId: string,
  asker: Omit<FrameOwner, 'kind'>,
  now = Date.now(),
): (SecretRequest & { owner: FrameOwner }) | null {
  const entry = table.get(requestId);
  if (!entry) return null;
  table.delete(requestId);
  const o = entry.owner;
  if (o.kind !== 'frame') return null;
  const isOwner =
    o.tabId === asker.tabId && o.frameId === asker.frameId && o.documentId === asker.documentId && o.origin === asker.origin;
  return isOwner && now <= entry.deadline ? { ...entry, owner: o } : null;
}

export function closeRequest(requestId: string): void {
  table.delete(requestId);
}

export function drainExpired(now = Date.now()): void {
  for (const [id, e] of table) if (e.deadline < now) table.delete(id);
}

export function drainTab(tabId: number): void {
  for (const [id, e] of table) if (e.owner.kind === 'frame' && e.owner.tabId === tabId) table.delete(id);
}

export function drainAll(): void {
  table.clear();
}

export function pendingCount(): number {
  return table.size;
}
