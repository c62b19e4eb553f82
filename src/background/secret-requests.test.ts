import { beforeEach, describe, expect, test } from 'vitest';
import {
  REQUEST_DEADLINE_MS,
  claimFillRequest,
  closeRequest,
  drainAll,
  drainExpired,
  drainTab,
  openRequest,
  pendingCount,
  type FrameOwner,
} from './secret-requests';

const owner: FrameOwner = { kind: 'frame', tabId: 7, frameId: 0, documentId: 'DOC-A', origin: 'https://example.com' };
const asker = (patch: Partial<FrameOwner> = {}) => {
  const { kind: _kind, ...rest } = { ...owner, ...patch };
  return rest;
};

beforeEach(() => drainAll());

describe('claimFillRequest', () => {
  test.each<[string, Partial<FrameOwner>, boolean]>([
    ['the owner frame', {}, true],
    ['another tab', { tabId: 8 }, false],
    ['another frame', { frameId: 3 }, false],
    ['another document in the same frame (navigated)', { documentId: 'DOC-B' }, false],
    ['another origin', { origin: 'https://evil.example' }, false],
  ])('%s → %s, and the entry is gone either way', (_why, patch, granted) => {
    const entry = openRequest(owner, 'item-1', 1_000);
    expect(claimFillRequest(entry.requestId, asker(patch), 1_001) !== null).toBe(granted);
    expect(pendingCount()).toBe(0);
    expect(claimFillRequest(entry.requestId, asker(), 1_002)).toBeNull(); // used at most once
  });

  test('after the deadline the owner gets nothing', () => {
    const entry = openRequest(owner, 'item-1', 1_000);
    expect(claimFillRequest(entry.requestId, asker(), 1_000 + REQUEST_DEADLINE_MS + 1)).toBeNull();
  });

  test('a popup-owned request cannot be claimed by a frame', () => {
    const entry = openRequest({ kind: 'popup' }, 'item-1', 1_000);
    expect(claimFillRequest(entry.requestId, asker(), 1_001)).toBeNull();
  });

  test('an unknown id gets nothing', () => {
    expect(claimFillRequest('nope', asker())).toBeNull();
  });

  test('the fill kind is fixed when the request is opened: the login by default, a one-time code only when asked', () => {
    const login = openRequest(owner, 'item-1', 1_000);
    const code = openRequest(owner, 'item-1', 1_000, 'code');
    expect(claimFillRequest(login.requestId, asker(), 1_001)?.kind).toBe('login');
    expect(claimFillRequest(code.requestId, asker(), 1_001)?.kind).toBe('code');
    expect(pendingCount()).toBe(0);
  });
});

describe('draining', () => {
  test('tab close drains only that tab; expiry and close drain the rest', () => {
    openRequest(owner, 'a', 1_000);
    openRequest({ ...owner, tabId: 9 }, 'b', 1_000);
    const popup = openRequest({ kind: 'popup' }, 'c', 5_000);
    expect(pendingCount()).toBe(3);
    drainTab(7);
    expect(pendingCount()).toBe(2);
    drainExpired(1_000 + REQUEST_DEADLINE_MS + 1);
    expect(pendingCount()).toBe(1);
    closeRequest(popup.requestId);
    expect(pendingCount()).toBe(0);
  });

  test('request ids are unique and unguessable-length', () => {
    const ids = new Set(Array.from({ length: 200 }, () => openRequest(owner, 'x').requestId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
